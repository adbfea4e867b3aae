using System.Text.Json;
using Wms.Cli.Connection;
using Wms.Cli.Output;

namespace Wms.Cli.Watch;

/// <summary>
/// A workflow as its event stream tells it: the latest of each taskforce, kept in the order they were first seen.
/// Each event applied says in words what changed, for a log of the watch; the display reads the taskforces.
/// </summary>
public sealed class WatchedWorkflow(string workflowId)
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, TaskforceProgress> _taskforces = [];

    public string WorkflowId { get; } = workflowId;

    /// <summary>The workflow's own state (active, finished, aborted), as its last document says.</summary>
    public string State { get; private set; } = "";

    public IEnumerable<TaskforceProgress> Taskforces => _order.Select(u => _taskforces[u]);

    /// <summary>Every taskforce has settled (<see cref="TaskforceProgress.IsSettled"/>): there is nothing left to watch.</summary>
    public bool IsDone => _taskforces.Count > 0 && _taskforces.Values.All(t => t.IsSettled);

    /// <summary>Applies one event; returns what changed, in words (empty for an event that changed nothing shown).</summary>
    public IReadOnlyList<string> Apply(ServerEvent e)
    {
        using var document = JsonDocument.Parse(e.Data);
        var data = document.RootElement;
        switch (e.Name)
        {
            case "snapshot":
                _order.Clear();
                _taskforces.Clear();
                ApplyWorkflow(data.Member("workflow"));
                var seen = data.Member("taskforces");
                if (seen.ValueKind == JsonValueKind.Array)
                {
                    foreach (var summary in seen.EnumerateArray())
                    {
                        Put(TaskforceProgress.From(summary));
                    }
                }
                return [$"{WorkflowId}: {State}, {_taskforces.Count} taskforce(s)"];
            case "workflow":
                var before = State;
                ApplyWorkflow(data.Member("workflow"));
                var change = data.Text("change");
                return [$"{WorkflowId}: {(change.Length > 0 ? change : "changed")}{(State != before ? $" ({State})" : "")}"];
            case "taskforce":
                return ApplyTaskforce(data);
            case "explain":
                return ApplyExplanation(data);
            default:
                return [];
        }
    }

    private void ApplyWorkflow(JsonElement workflow)
    {
        if (workflow.ValueKind == JsonValueKind.Object)
        {
            State = WorkflowTable.State(workflow);
        }
    }

    private List<string> ApplyTaskforce(JsonElement summary)
    {
        var uuid = summary.Text("taskforce_uuid");
        _taskforces.TryGetValue(uuid, out var before);
        var now = TaskforceProgress.From(summary, before);
        Put(now);
        List<string> lines = [];
        if (before is null || before.Phase != now.Phase)
        {
            lines.Add($"{uuid}: {(before is null ? "" : before.Phase + " → ")}{now.Phase}");
        }
        if (before?.Statuses != now.Statuses && now.Statuses.Length > 0)
        {
            lines.Add($"{uuid}: workers {now.Statuses}");
        }
        if (lines.Count == 0 && summary.Member("last_log") is { ValueKind: JsonValueKind.Object } log
            && log.Member("was_successful").ValueKind == JsonValueKind.False)
        {
            lines.Add($"{uuid}: {log.Text("target_phase")} failed: {log.Text("description")}");
        }
        return lines;
    }

    private List<string> ApplyExplanation(JsonElement explanation)
    {
        var uuid = explanation.Text("taskforce_uuid");
        if (!_taskforces.TryGetValue(uuid, out var before))
        {
            return [];
        }
        var now = before with { Reason = explanation.Text("reason"), Message = explanation.Text("message") };
        Put(now);
        return now.Reason == before.Reason && now.Message == before.Message ? [] : [$"{uuid}: {now.Message}"];
    }

    private void Put(TaskforceProgress taskforce)
    {
        if (!_taskforces.ContainsKey(taskforce.Uuid))
        {
            _order.Add(taskforce.Uuid);
        }
        _taskforces[taskforce.Uuid] = taskforce;
    }
}
