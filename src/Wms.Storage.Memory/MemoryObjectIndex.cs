using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Domain.Rules;
using Wms.Query;

namespace Wms.Storage.Memory;

/// <summary>
/// The query index of the embedded default: everything in process memory, shared by the silos of one process.
/// Taskforces are also grouped by (collector, schedd, phase), and by (schedd, phase) for the <c>/v1</c> polls, so a
/// TMS poll costs what its group holds. Each kind's objects are also kept in page order, so a page read costs what
/// it reads.
/// </summary>
public sealed class MemoryObjectIndex : IObjectIndex
{
    // Objects a page read takes per turn of the lock: a consumer that stops early leaves the rest untouched, and a
    // long read lets writers in between turns.
    private const int PageChunk = 256;

    private static readonly Comparer<FindPosition> PageOrder = Comparer<FindPosition>.Create((a, b) =>
    {
        var byTimestamp = a.Timestamp.CompareTo(b.Timestamp);
        return byTimestamp != 0 ? byTimestamp : string.CompareOrdinal(a.Id, b.Id);
    });

    /// <summary>A stored object; <see cref="Creator"/> is a workflow's creator (null: authentication off).</summary>
    private sealed record Entry(long Revision, byte[] Json, FindPosition Position, string? Creator = null);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry>[] _documents = [new(), new(), new()];
    private readonly SortedSet<FindPosition>[] _pageOrder = [new(PageOrder), new(PageOrder), new(PageOrder)];
    private readonly Dictionary<string, TaskforceSelectionKeys> _taskforceKeys = [];
    private readonly Dictionary<(string Collector, string Schedd, string Phase), HashSet<string>> _bySchedd = [];
    private readonly Dictionary<(string Schedd, string Phase), HashSet<string>> _byScheddAlone = [];
    private readonly HashSet<string> _preLaunch = [];
    private readonly Dictionary<string, long> _byPhase = [];
    private readonly Dictionary<string, ActivationKeys> _awaitingActivation = [];

    public Task WriteAsync(IndexBatch batch, CancellationToken cancellationToken = default)
    {
        // Serialise outside the lock; then publish the whole batch under it so readers see all or nothing.
        var workflows = batch.Workflows.Select(v => (v, WireJson.ToUtf8(v.Document))).ToList();
        var directives = batch.TaskDirectives.Select(v => (v, WireJson.ToUtf8(v.Document))).ToList();
        var taskforces = batch.Taskforces.Select(v => (v, WireJson.ToUtf8(v.Document))).ToList();
        lock (_gate)
        {
            foreach (var (v, json) in workflows)
            {
                if (Put(ObjectKind.Workflow, v.Document.WorkflowId, v.Document.Timestamp, v.Revision, json,
                        batch.CreatorOf(v.Document.WorkflowId)))
                {
                    var keys = ActivationKeys.From(v.Document);
                    if (keys is null)
                    {
                        _awaitingActivation.Remove(v.Document.WorkflowId);
                    }
                    else
                    {
                        _awaitingActivation[v.Document.WorkflowId] = keys;
                    }
                }
            }
            foreach (var (v, json) in directives)
            {
                Put(ObjectKind.TaskDirective, v.Document.TaskId, v.Document.Timestamp, v.Revision, json);
            }
            foreach (var (v, json) in taskforces)
            {
                if (Put(ObjectKind.Taskforce, v.Document.TaskforceUuid, v.Document.Timestamp, v.Revision, json))
                {
                    Regroup(TaskforceSelectionKeys.From(v.Document));
                }
            }
        }
        return Task.CompletedTask;
    }

    public Task<byte[]?> GetJsonAsync(ObjectKind kind, string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_documents[(int)kind].TryGetValue(id, out var entry) ? entry.Json : null);
        }
    }

    public async IAsyncEnumerable<JsonObject> FindAsync(
        ObjectKind kind, FilterNode filter, Projection? projection, Creator? createdBy = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        CheckCreatorKind(kind, createdBy);
        List<byte[]> snapshot;
        lock (_gate)
        {
            snapshot = _documents[(int)kind].Values.Where(e => IsBy(e, createdBy)).Select(e => e.Json).ToList();
        }
        foreach (var json in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var document = (JsonObject)JsonNode.Parse(json)!;
            if (FilterEvaluator.Matches(filter, document))
            {
                yield return projection is null ? document : projection.Apply(document);
            }
        }
        await Task.CompletedTask;
    }

    public async IAsyncEnumerable<FoundObject> FindPageAsync(
        ObjectKind kind, FilterNode filter, Projection? projection, FindPosition? after, Creator? createdBy = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        CheckCreatorKind(kind, createdBy);
        var position = after;
        var more = true;
        while (more)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = NextChunk(kind, position);
            foreach (var entry in chunk.Where(e => IsBy(e, createdBy)))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var document = (JsonObject)JsonNode.Parse(entry.Json)!;
                if (FilterEvaluator.Matches(filter, document))
                {
                    yield return new FoundObject(projection is null ? document : projection.Apply(document),
                        entry.Position);
                }
            }
            // On from the last object looked at, matched or not; a short chunk was the end.
            more = chunk.Count == PageChunk;
            if (more)
            {
                position = chunk[^1].Position;
            }
        }
        await Task.CompletedTask;
    }

    public Task<byte[]?> NextPendingStarterAsync(
        string collector, string schedd, int maxFailures, CancellationToken cancellationToken = default) =>
        Task.FromResult(Best(_bySchedd, (collector, schedd, Phase.PendingStarter),
            k => TaskforceSelection.IsStartable(k, maxFailures), TaskforceSelection.StarterOrder));

    public Task<byte[]?> NextPendingStopperAsync(
        string collector, string schedd, int maxFailures, CancellationToken cancellationToken = default) =>
        Task.FromResult(Best(_bySchedd, (collector, schedd, Phase.PendingStopper),
            k => TaskforceSelection.IsStoppable(k, maxFailures), TaskforceSelection.StopperOrder));

    public Task<byte[]?> NextPendingStarterAtScheddAsync(
        string schedd, int maxFailures, CancellationToken cancellationToken = default) =>
        Task.FromResult(Best(_byScheddAlone, (schedd, Phase.PendingStarter),
            k => TaskforceSelection.IsStartable(k, maxFailures), TaskforceSelection.ScheddStarterOrder));

    public Task<byte[]?> NextPendingStopperAtScheddAsync(
        string schedd, int maxFailures, CancellationToken cancellationToken = default) =>
        Task.FromResult(Best(_byScheddAlone, (schedd, Phase.PendingStopper),
            k => TaskforceSelection.IsStoppable(k, maxFailures), TaskforceSelection.StopperOrder));

    public Task<IReadOnlyList<string>> ActivationCandidatesAsync(
        double now, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<string> due = _awaitingActivation.Values.Where(k => k.IsDue(now))
                .Order(ActivationOrder.Order).Take(limit).Select(k => k.WorkflowId).ToList();
            return Task.FromResult(due);
        }
    }

    public Task<double?> NextActivationDueAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_awaitingActivation.Count == 0
                ? (double?)null
                : _awaitingActivation.Values.Min(k => k.DueAt));
        }
    }

    public Task<IReadOnlyList<string>> LaunchCandidatesAsync(int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<string> next = _preLaunch.Select(u => _taskforceKeys[u])
                .Order(TaskforceSelection.LaunchOrder).Take(limit).Select(k => k.Uuid).ToList();
            return Task.FromResult(next);
        }
    }

    public Task<LaunchQueuePositions> LaunchPositionsAsync(
        IReadOnlyCollection<string> taskforceUuids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskforceUuids);
        var asked = taskforceUuids.ToHashSet(StringComparer.Ordinal);
        lock (_gate)
        {
            var positions = new Dictionary<string, int>(StringComparer.Ordinal);
            var position = 0;
            foreach (var keys in _preLaunch.Select(u => _taskforceKeys[u]).Order(TaskforceSelection.LaunchOrder))
            {
                position++;
                if (asked.Contains(keys.Uuid))
                {
                    positions[keys.Uuid] = position;
                }
            }
            return Task.FromResult(new LaunchQueuePositions(positions, _preLaunch.Count));
        }
    }

    public Task<IReadOnlyDictionary<string, long>> CountTaskforcesByPhaseAsync(
        CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyDictionary<string, long> counts = _byPhase.Where(kv => kv.Value > 0)
                .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            return Task.FromResult(counts);
        }
    }

    private bool Put(ObjectKind kind, string id, double timestamp, long revision, byte[] json, string? creator = null)
    {
        var documents = _documents[(int)kind];
        var pageOrder = _pageOrder[(int)kind];
        if (documents.TryGetValue(id, out var old))
        {
            if (old.Revision >= revision)
            {
                return false;
            }
            // Timestamps are set at creation: nearly every write keeps its place in the page order.
            if (old.Position.Timestamp.Equals(timestamp))
            {
                documents[id] = old with { Revision = revision, Json = json, Creator = creator };
                return true;
            }
            pageOrder.Remove(old.Position);
        }
        var entry = new Entry(revision, json, new FindPosition(timestamp, id), creator);
        documents[id] = entry;
        pageOrder.Add(entry.Position);
        return true;
    }

    private static bool IsBy(Entry entry, Creator? createdBy) =>
        createdBy is null || string.Equals(entry.Creator, createdBy.Subject, StringComparison.Ordinal);

    private static void CheckCreatorKind(ObjectKind kind, Creator? createdBy)
    {
        if (createdBy is not null && kind != ObjectKind.Workflow)
        {
            throw new ArgumentException("only workflows record their creator", nameof(createdBy));
        }
    }

    /// <summary>Up to <see cref="PageChunk"/> objects of a kind strictly after a position, in page order.</summary>
    private List<Entry> NextChunk(ObjectKind kind, FindPosition? after)
    {
        lock (_gate)
        {
            var pageOrder = _pageOrder[(int)kind];
            var chunk = new List<Entry>(Math.Min(PageChunk, pageOrder.Count));
            if (pageOrder.Count == 0 || (after is not null && PageOrder.Compare(after, pageOrder.Max!) >= 0))
            {
                return chunk;
            }
            // A view starts from its lower bound in logarithmic time; the bound itself is included, so it is
            // skipped should an object still stand there.
            var view = after is null ? pageOrder : pageOrder.GetViewBetween(after, pageOrder.Max!);
            var documents = _documents[(int)kind];
            foreach (var position in view)
            {
                if (after is not null && PageOrder.Compare(position, after) == 0)
                {
                    continue;
                }
                chunk.Add(documents[position.Id]);
                if (chunk.Count == PageChunk)
                {
                    break;
                }
            }
            return chunk;
        }
    }

    private void Regroup(TaskforceSelectionKeys keys)
    {
        if (_taskforceKeys.TryGetValue(keys.Uuid, out var old))
        {
            Group(_bySchedd, (old.Collector, old.Schedd, old.Phase)).Remove(old.Uuid);
            Group(_byScheddAlone, (old.Schedd, old.Phase)).Remove(old.Uuid);
            _preLaunch.Remove(old.Uuid);
            _byPhase[old.Phase]--;
        }
        _taskforceKeys[keys.Uuid] = keys;
        // Kept as taskforces move, so a count costs what the phases are, not what is stored.
        _byPhase[keys.Phase] = _byPhase.GetValueOrDefault(keys.Phase) + 1;
        Group(_bySchedd, (keys.Collector, keys.Schedd, keys.Phase)).Add(keys.Uuid);
        Group(_byScheddAlone, (keys.Schedd, keys.Phase)).Add(keys.Uuid);
        if (keys.Phase == Phase.PreLaunch)
        {
            _preLaunch.Add(keys.Uuid);
        }
    }

    private static HashSet<string> Group<TKey>(Dictionary<TKey, HashSet<string>> groups, TKey key)
        where TKey : notnull
    {
        if (!groups.TryGetValue(key, out var group))
        {
            groups[key] = group = [];
        }
        return group;
    }

    private byte[]? Best<TKey>(
        Dictionary<TKey, HashSet<string>> groups, TKey key, Func<TaskforceSelectionKeys, bool> eligible,
        IComparer<TaskforceSelectionKeys> order)
        where TKey : notnull
    {
        lock (_gate)
        {
            if (!groups.TryGetValue(key, out var group))
            {
                return null;
            }
            TaskforceSelectionKeys? best = null;
            foreach (var uuid in group)
            {
                var keys = _taskforceKeys[uuid];
                if (eligible(keys) && (best is null || order.Compare(keys, best) < 0))
                {
                    best = keys;
                }
            }
            return best is null ? null : _documents[(int)ObjectKind.Taskforce][best.Uuid].Json;
        }
    }
}
