namespace Wms.Domain.Index;

/// <summary>
/// The past of each taskforce's compound statuses and top task errors, which the taskforce itself replaces on each
/// report. Bounded per taskforce by <see cref="Rules.StatusHistoryRetention"/>.
/// </summary>
public interface IStatusHistory
{
    /// <summary>
    /// Records one change. It returns at once: the entry is written later, grouped with others, so that a TMS report
    /// never waits on it. An entry lost to a crash before it was written is lost; the taskforce keeps its statuses.
    /// </summary>
    void Append(string taskforceUuid, StatusHistoryEntry entry);

    /// <summary>The taskforce's history, oldest first, with retention applied as of now; empty when it has none.</summary>
    Task<IReadOnlyList<StatusHistoryEntry>> ReadAsync(string taskforceUuid, CancellationToken cancellationToken = default);

    /// <summary>Waits until every entry appended on this silo before the call has been written (or failed).</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);
}
