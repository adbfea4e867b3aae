using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Domain.Rules;
using Wms.Query;

namespace Wms.Storage.Memory;

/// <summary>
/// The query index of the embedded default: everything in process memory, shared by the silos of one process.
/// Taskforces are also grouped by (collector, schedd, phase) so a TMS poll costs what that group holds.
/// </summary>
public sealed class MemoryObjectIndex : IObjectIndex
{
    private sealed record Entry(long Revision, byte[] Json);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry>[] _documents = [new(), new(), new()];
    private readonly Dictionary<string, TaskforceSelectionKeys> _taskforceKeys = [];
    private readonly Dictionary<(string Collector, string Schedd, string Phase), HashSet<string>> _bySchedd = [];
    private readonly HashSet<string> _preLaunch = [];
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
                if (Put(ObjectKind.Workflow, v.Document.WorkflowId, v.Revision, json))
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
                Put(ObjectKind.TaskDirective, v.Document.TaskId, v.Revision, json);
            }
            foreach (var (v, json) in taskforces)
            {
                if (Put(ObjectKind.Taskforce, v.Document.TaskforceUuid, v.Revision, json))
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
        ObjectKind kind, FilterNode filter, Projection? projection,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<byte[]> snapshot;
        lock (_gate)
        {
            snapshot = _documents[(int)kind].Values.Select(e => e.Json).ToList();
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

    public Task<byte[]?> NextPendingStarterAsync(
        string collector, string schedd, int maxFailures, CancellationToken cancellationToken = default) =>
        Task.FromResult(Best(collector, schedd, Phase.PendingStarter,
            k => TaskforceSelection.IsStartable(k, maxFailures), TaskforceSelection.StarterOrder));

    public Task<byte[]?> NextPendingStopperAsync(
        string collector, string schedd, int maxFailures, CancellationToken cancellationToken = default) =>
        Task.FromResult(Best(collector, schedd, Phase.PendingStopper,
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

    private bool Put(ObjectKind kind, string id, long revision, byte[] json)
    {
        var documents = _documents[(int)kind];
        if (documents.TryGetValue(id, out var old) && old.Revision >= revision)
        {
            return false;
        }
        documents[id] = new Entry(revision, json);
        return true;
    }

    private void Regroup(TaskforceSelectionKeys keys)
    {
        if (_taskforceKeys.TryGetValue(keys.Uuid, out var old))
        {
            Group(old).Remove(old.Uuid);
            _preLaunch.Remove(old.Uuid);
        }
        _taskforceKeys[keys.Uuid] = keys;
        Group(keys).Add(keys.Uuid);
        if (keys.Phase == Phase.PreLaunch)
        {
            _preLaunch.Add(keys.Uuid);
        }
    }

    private HashSet<string> Group(TaskforceSelectionKeys keys)
    {
        var key = (keys.Collector, keys.Schedd, keys.Phase);
        if (!_bySchedd.TryGetValue(key, out var group))
        {
            _bySchedd[key] = group = [];
        }
        return group;
    }

    private byte[]? Best(
        string collector, string schedd, string phase, Func<TaskforceSelectionKeys, bool> eligible,
        IComparer<TaskforceSelectionKeys> order)
    {
        lock (_gate)
        {
            if (!_bySchedd.TryGetValue((collector, schedd, phase), out var group))
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
