namespace Wms.Domain.Index;

/// <summary>
/// The latest poll of each schedd and kind across the cluster, kept where the index is, so that it outlives the
/// silo that served the poll. Each silo notes its polls in memory on the poll's path and writes the pairs that
/// changed here every few seconds; a reader merges this with its own silo's notes, the latest winning.
/// </summary>
public interface IScheddPollStore
{
    /// <summary>
    /// Keeps each poll unless a later one of the same schedd and kind is kept already; one call is one write.
    /// A schedd and kind appear at most once in <paramref name="polls"/>.
    /// </summary>
    Task RecordAsync(IReadOnlyCollection<ScheddPoll> polls, CancellationToken cancellationToken = default);

    /// <summary>The latest poll of every schedd and kind kept, in no particular order.</summary>
    Task<IReadOnlyList<ScheddPoll>> ReadAsync(CancellationToken cancellationToken = default);
}
