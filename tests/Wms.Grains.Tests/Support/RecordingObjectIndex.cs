using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Wms.Domain.Index;
using Wms.Domain.Rules;
using Wms.Query;
using Wms.Storage.Memory;

namespace Wms.Grains.Tests.Support;

/// <summary>
/// The one <see cref="MemoryObjectIndex"/> all silos of a test cluster share, with a record of every batch
/// written to it, so tests can see what was published together and at which revision.
/// </summary>
public sealed class RecordingObjectIndex : IObjectIndex
{
    private readonly ConcurrentQueue<IndexBatch> _batches = new();

    public MemoryObjectIndex Inner { get; } = new();

    public IReadOnlyList<IndexBatch> Batches => _batches.ToList();

    /// <summary>The batches that held the object, in the order they were written.</summary>
    public IReadOnlyList<IndexBatch> BatchesWith(string id) => Batches.Where(b => Ids(b).Contains(id)).ToList();

    /// <summary>Every id a batch holds.</summary>
    public static IReadOnlySet<string> Ids(IndexBatch batch) =>
        batch.Workflows.Select(v => v.Document.WorkflowId)
            .Concat(batch.TaskDirectives.Select(v => v.Document.TaskId))
            .Concat(batch.Taskforces.Select(v => v.Document.TaskforceUuid))
            .ToHashSet();

    /// <summary>The highest revision written for a taskforce, or null when never written.</summary>
    public long? TaskforceRevision(string uuid) =>
        Batches.SelectMany(b => b.Taskforces).Where(v => v.Document.TaskforceUuid == uuid)
            .Select(v => (long?)v.Revision).Max();

    private readonly ConcurrentDictionary<string, bool> _failOnce = new();

    /// <summary>The next batch holding this id fails, as a database outage would, and writes nothing.</summary>
    public void FailNextWriteOf(string id) => _failOnce[id] = true;

    public async Task WriteAsync(IndexBatch batch, CancellationToken cancellationToken = default)
    {
        foreach (var id in Ids(batch))
        {
            if (_failOnce.TryRemove(id, out _))
            {
                throw new InvalidOperationException($"injected index failure for {id}");
            }
        }
        await Inner.WriteAsync(batch, cancellationToken);
        _batches.Enqueue(batch);
    }

    public Task<byte[]?> GetJsonAsync(ObjectKind kind, string id, CancellationToken cancellationToken = default) =>
        Inner.GetJsonAsync(kind, id, cancellationToken);

    public IAsyncEnumerable<JsonObject> FindAsync(
        ObjectKind kind, FilterNode filter, Projection? projection, Creator? createdBy = null,
        CancellationToken cancellationToken = default) =>
        Inner.FindAsync(kind, filter, projection, createdBy, cancellationToken);

    public IAsyncEnumerable<FoundObject> FindPageAsync(
        ObjectKind kind, FilterNode filter, Projection? projection, FindPosition? after, Creator? createdBy = null,
        CancellationToken cancellationToken = default) =>
        Inner.FindPageAsync(kind, filter, projection, after, createdBy, cancellationToken);

    public Task<byte[]?> NextPendingStarterAsync(
        string collector, string schedd, int maxFailures, CancellationToken cancellationToken = default) =>
        Inner.NextPendingStarterAsync(collector, schedd, maxFailures, cancellationToken);

    public Task<byte[]?> NextPendingStopperAsync(
        string collector, string schedd, int maxFailures, CancellationToken cancellationToken = default) =>
        Inner.NextPendingStopperAsync(collector, schedd, maxFailures, cancellationToken);

    public Task<byte[]?> NextPendingStarterAtScheddAsync(
        string schedd, int maxFailures, CancellationToken cancellationToken = default) =>
        Inner.NextPendingStarterAtScheddAsync(schedd, maxFailures, cancellationToken);

    public Task<byte[]?> NextPendingStopperAtScheddAsync(
        string schedd, int maxFailures, CancellationToken cancellationToken = default) =>
        Inner.NextPendingStopperAtScheddAsync(schedd, maxFailures, cancellationToken);

    public async Task<IReadOnlyList<string>> ActivationCandidatesAsync(
        double now, int limit, CancellationToken cancellationToken = default)
    {
        if (_candidatesHold is { } hold)
        {
            await hold.PassAsync();
            // Read on as the loop would had it asked now, when the hold lets it.
            now = Math.Max(now, TimeProvider.System.EpochSeconds());
        }
        return await Inner.ActivationCandidatesAsync(now, limit, cancellationToken);
    }

    private volatile CandidatesHold? _candidatesHold;

    /// <summary>
    /// Stops the MQ activation loop where it reads its queue, until released: work stored meanwhile is all there,
    /// in the contract's order, when it reads on.
    /// </summary>
    public CandidatesHold HoldActivationCandidates() => _candidatesHold = new CandidatesHold(() => _candidatesHold = null);

    public Task<double?> NextActivationDueAsync(CancellationToken cancellationToken = default) =>
        Inner.NextActivationDueAsync(cancellationToken);

    public Task<IReadOnlyList<string>> LaunchCandidatesAsync(int limit, CancellationToken cancellationToken = default) =>
        Inner.LaunchCandidatesAsync(limit, cancellationToken);

    public Task<LaunchQueuePositions> LaunchPositionsAsync(
        IReadOnlyCollection<string> taskforceUuids, CancellationToken cancellationToken = default) =>
        Inner.LaunchPositionsAsync(taskforceUuids, cancellationToken);

    public Task<IReadOnlyDictionary<string, long>> CountTaskforcesByPhaseAsync(
        CancellationToken cancellationToken = default) =>
        Inner.CountTaskforcesByPhaseAsync(cancellationToken);
}
