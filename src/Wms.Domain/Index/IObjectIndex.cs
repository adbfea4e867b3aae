using System.Text.Json.Nodes;
using Wms.Query;

namespace Wms.Domain.Index;

/// <summary>
/// The read side: every object's latest answered state as wire JSON, with the selections the TMS and the
/// background loops make. Grains write to it before they answer, so a client always reads its own writes.
/// </summary>
public interface IObjectIndex
{
    /// <summary>Makes the batch visible atomically; an entry older than the stored revision is ignored.</summary>
    Task WriteAsync(IndexBatch batch, CancellationToken cancellationToken = default);

    /// <summary>The object's wire JSON, or null when no such object exists.</summary>
    Task<byte[]?> GetJsonAsync(ObjectKind kind, string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Matching objects, projected, produced as they are read rather than gathered first. With
    /// <paramref name="createdBy"/> (workflows only), only the workflows that creator made.
    /// </summary>
    IAsyncEnumerable<JsonObject> FindAsync(
        ObjectKind kind, FilterNode filter, Projection? projection, Creator? createdBy = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Matching objects in (timestamp, id) order, projected, strictly after <paramref name="after"/> (from the first
    /// when null). Each carries the stored object's position, to resume from. Read as consumed: a consumer that
    /// stops early leaves the rest unread. With <paramref name="createdBy"/> (workflows only), only the workflows that
    /// creator made.
    /// </summary>
    /// <remarks>
    /// Ids compare ordinally and timestamps exactly. An object that exists, matches and keeps its timestamp
    /// throughout a read is produced exactly once, whatever else is written meanwhile. One written during the read
    /// is produced when its position lies beyond what the read has fetched so far, which runs ahead of the
    /// consumer by a bounded number of objects only.
    /// </remarks>
    IAsyncEnumerable<FoundObject> FindPageAsync(
        ObjectKind kind, FilterNode filter, Projection? projection, FindPosition? after, Creator? createdBy = null,
        CancellationToken cancellationToken = default);

    /// <summary>The taskforce the TMS at this schedd should start next, as wire JSON; null when none.</summary>
    Task<byte[]?> NextPendingStarterAsync(
        string collector, string schedd, int maxFailures, CancellationToken cancellationToken = default);

    /// <summary>The taskforce the TMS at this schedd should stop next, as wire JSON; null when none.</summary>
    Task<byte[]?> NextPendingStopperAsync(
        string collector, string schedd, int maxFailures, CancellationToken cancellationToken = default);

    /// <summary>
    /// The <c>/v1</c> poll: the taskforce the TMS at this schedd should start next, whatever its collector, in
    /// <see cref="Rules.TaskforceSelection.ScheddStarterOrder"/>, as wire JSON; null when none.
    /// </summary>
    Task<byte[]?> NextPendingStarterAtScheddAsync(
        string schedd, int maxFailures, CancellationToken cancellationToken = default);

    /// <summary>
    /// The <c>/v1</c> poll: the taskforce the TMS at this schedd should stop next, whatever its collector, oldest
    /// first (<see cref="Rules.TaskforceSelection.StopperOrder"/>), as wire JSON; null when none.
    /// </summary>
    Task<byte[]?> NextPendingStopperAtScheddAsync(
        string schedd, int maxFailures, CancellationToken cancellationToken = default);

    /// <summary>Workflows awaiting MQ activation that are due at <paramref name="now"/>, in activation order.</summary>
    Task<IReadOnlyList<string>> ActivationCandidatesAsync(
        double now, int limit, CancellationToken cancellationToken = default);

    /// <summary>The earliest time a waiting workflow becomes due, or null when none is waiting.</summary>
    Task<double?> NextActivationDueAsync(CancellationToken cancellationToken = default);

    /// <summary>Pre-launch taskforces in <see cref="Rules.TaskforceSelection.LaunchOrder"/>.</summary>
    Task<IReadOnlyList<string>> LaunchCandidatesAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Where the given taskforces stand among the launch candidates (1-based, in the order of
    /// <see cref="LaunchCandidatesAsync"/>), and how many candidates there are. A taskforce that is not pre-launch
    /// has no position. Read for explanations, not on a hot path: it may cost what the queue holds.
    /// </summary>
    Task<LaunchQueuePositions> LaunchPositionsAsync(
        IReadOnlyCollection<string> taskforceUuids, CancellationToken cancellationToken = default);

    /// <summary>
    /// How many taskforces each phase holds, across the cluster; a phase that holds none may be missing. Operators'
    /// gauges read it every few seconds, so it must stay cheap however many taskforces are stored.
    /// </summary>
    Task<IReadOnlyDictionary<string, long>> CountTaskforcesByPhaseAsync(CancellationToken cancellationToken = default);
}
