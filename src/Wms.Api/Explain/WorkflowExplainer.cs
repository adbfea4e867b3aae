using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Wms.Api.Configuration;
using Wms.Api.Telemetry;
using Wms.Domain.Explain;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Domain.Rules;
using Wms.GrainInterfaces.Configuration;
using Wms.GrainInterfaces.Grains;
using Wms.Query;

namespace Wms.Api.Explain;

/// <summary>
/// Gathers what explains a workflow's taskforces and hands it to the rules (<see cref="TaskforceExplainer"/>): the
/// documents from the index, the activation attempts from the workflow grain (only while its queues wait), the
/// launch queue's order from the index, the cluster's latest TMS polls, and status histories for submitted
/// taskforces. Each source is read at most once per call, and only when a taskforce needs it.
/// </summary>
/// <remarks>
/// The answers are the wire JSON of the explain endpoints, the same on <c>/v0</c> and <c>/v1</c>; the events stream
/// sends the same objects.
/// </remarks>
public sealed class WorkflowExplainer(
    IObjectIndex index, IGrainFactory grains, ClusterScheddPolls polls, IStatusHistory history,
    IOptions<WmsOptions> wms, IOptions<ExplainOptions> explain, TimeProvider time)
{
    /// <summary>
    /// <c>{"workflow_id", "generated_at", "summary", "taskforces": [...]}</c>, the taskforces oldest first; null when
    /// no such workflow exists.
    /// </summary>
    public async Task<JsonObject?> ExplainWorkflowAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflowId);
        if (!Ids.IsWorkflowId(workflowId) || await ReadWorkflowAsync(workflowId, cancellationToken) is not { } workflow)
        {
            return null;
        }
        var taskforces = await TaskforcesOfAsync(workflowId, cancellationToken);
        var now = time.EpochSeconds();
        var explained = await ExplainAsync(workflow, taskforces, now, cancellationToken);
        return new JsonObject
        {
            ["workflow_id"] = workflowId,
            ["generated_at"] = now,
            ["summary"] = WorkflowSummary.Of(workflow, [.. explained.Select(e => e.Explanation)]),
            ["taskforces"] = new JsonArray([.. explained.Select(e => (JsonNode)Json(e.Taskforce, e.Explanation))]),
        };
    }

    /// <summary>One taskforce's explanation (see <see cref="Json"/>); null when no such taskforce exists.</summary>
    public async Task<JsonObject?> ExplainTaskforceAsync(string taskforceUuid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskforceUuid);
        if (!Ids.IsTaskforceUuid(taskforceUuid)
            || await index.GetJsonAsync(ObjectKind.Taskforce, taskforceUuid, cancellationToken) is not { } json)
        {
            return null;
        }
        var taskforce = WireJson.ReadTaskforce(json);
        // A taskforce is indexed with its workflow, in one batch: one without it is no taskforce yet.
        if (await ReadWorkflowAsync(taskforce.WorkflowId, cancellationToken) is not { } workflow)
        {
            return null;
        }
        var explained = await ExplainAsync(workflow, [taskforce], time.EpochSeconds(), cancellationToken);
        return Json(taskforce, explained[0].Explanation);
    }

    /// <summary>
    /// The explanations (see <see cref="Json"/>) of those of <paramref name="taskforceUuids"/> that are taskforces of
    /// the workflow, in the order given: what a watcher asks after an event, at the cost of the taskforces concerned
    /// alone (each read by id) rather than of the whole workflow.
    /// </summary>
    public async Task<IReadOnlyList<JsonObject>> ExplainTaskforcesAsync(
        string workflowId, IReadOnlyCollection<string> taskforceUuids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflowId);
        ArgumentNullException.ThrowIfNull(taskforceUuids);
        if (taskforceUuids.Count == 0 || !Ids.IsWorkflowId(workflowId)
            || await ReadWorkflowAsync(workflowId, cancellationToken) is not { } workflow)
        {
            return [];
        }
        var documents = await Task.WhenAll(taskforceUuids.Where(Ids.IsTaskforceUuid)
            .Select(uuid => index.GetJsonAsync(ObjectKind.Taskforce, uuid, cancellationToken)));
        var taskforces = documents.OfType<byte[]>().Select(json => WireJson.ReadTaskforce(json))
            .Where(t => t.WorkflowId == workflowId).ToList();
        var explained = await ExplainAsync(workflow, taskforces, time.EpochSeconds(), cancellationToken);
        return [.. explained.Select(e => Json(e.Taskforce, e.Explanation))];
    }

    /// <summary>
    /// The wire shape of one explanation: which taskforce, where, in which phase; then the reason, the message,
    /// since when, the evidence and the action.
    /// </summary>
    public static JsonObject Json(TaskforceDocument taskforce, Explanation explanation)
    {
        ArgumentNullException.ThrowIfNull(taskforce);
        ArgumentNullException.ThrowIfNull(explanation);
        return new JsonObject
        {
            ["taskforce_uuid"] = taskforce.TaskforceUuid,
            ["workflow_id"] = taskforce.WorkflowId,
            ["task_id"] = taskforce.TaskId,
            ["schedd"] = taskforce.Schedd,
            ["collector"] = taskforce.Collector,
            ["phase"] = taskforce.Phase,
            ["reason"] = explanation.Reason,
            ["message"] = explanation.Message,
            ["since"] = explanation.Since,
            ["evidence"] = explanation.Evidence.DeepClone(),
            ["action"] = explanation.Action,
        };
    }

    private async Task<IReadOnlyList<(TaskforceDocument Taskforce, Explanation Explanation)>> ExplainAsync(
        WorkflowDocument workflow, IReadOnlyList<TaskforceDocument> taskforces, double now,
        CancellationToken cancellationToken)
    {
        var waitingForQueues = workflow is { MqActivatedTs: null, Deactivated: null }
            && taskforces.Any(t => t.Phase == Phase.PreMqActivation);
        var activation = waitingForQueues
            ? (await grains.Get<IWorkflowGrain>(workflow.WorkflowId).GetActivationEvidenceAsync()).ToAttempts()
            : ActivationAttempts.None;

        var launching = taskforces.Where(t => t.Phase == Phase.PreLaunch).Select(t => t.TaskforceUuid).ToList();
        var queue = launching.Count == 0
            ? LaunchQueuePositions.Empty
            : await index.LaunchPositionsAsync(launching, cancellationToken);

        var latestPolls = taskforces.Any(t => t.Phase is Phase.PendingStarter or Phase.PendingStopper)
            ? await polls.LatestAsync(cancellationToken)
            : new Dictionary<(string Schedd, string Kind), DateTimeOffset>();

        var reported = taskforces.Where(t => t.Phase == Phase.CondorSubmit && t.CompoundStatuses.Count > 0).ToList();
        var histories = (await Task.WhenAll(reported.Select(t => history.ReadAsync(t.TaskforceUuid, cancellationToken))))
            .Zip(reported, (entries, t) => (t.TaskforceUuid, entries))
            .ToDictionary(h => h.TaskforceUuid, h => h.entries, StringComparer.Ordinal);

        var settings = new ExplainSettings(
            wms.Value.TmsActionRetries, explain.Value.TmsSilentAfter, wms.Value.LaunchControlDelay);
        return [.. taskforces.Select(tf => (tf, TaskforceExplainer.Explain(new TaskforceFacts
        {
            Taskforce = tf,
            Workflow = workflow,
            Activation = activation,
            LaunchPosition = queue.Of(tf.TaskforceUuid),
            LaunchQueueLength = queue.Length,
            LastStarterPollTs = PollTs(latestPolls, tf.Schedd, Phase.PendingStarter),
            LastStopperPollTs = PollTs(latestPolls, tf.Schedd, Phase.PendingStopper),
            StatusHistory = histories.GetValueOrDefault(tf.TaskforceUuid) ?? [],
        }, settings, now)))];
    }

    private async Task<WorkflowDocument?> ReadWorkflowAsync(string workflowId, CancellationToken cancellationToken) =>
        await index.GetJsonAsync(ObjectKind.Workflow, workflowId, cancellationToken) is { } json
            ? JsonSerializer.Deserialize(json, WireJsonContext.Default.WorkflowDocument)
            : null;

    /// <summary>The workflow's taskforces, oldest first (ties by uuid), each as the index holds it.</summary>
    private async Task<IReadOnlyList<TaskforceDocument>> TaskforcesOfAsync(
        string workflowId, CancellationToken cancellationToken)
    {
        var filter = FilterParser.Parse(new JsonObject { ["workflow_id"] = workflowId });
        var taskforces = new List<TaskforceDocument>();
        await foreach (var found in index.FindAsync(ObjectKind.Taskforce, filter, null, cancellationToken: cancellationToken))
        {
            taskforces.Add(found.Deserialize(WireJsonContext.Default.TaskforceDocument)
                ?? throw new JsonException("a taskforce document was null"));
        }
        return [.. taskforces.OrderBy(t => t.Timestamp).ThenBy(t => t.TaskforceUuid, StringComparer.Ordinal)];
    }

    private static double? PollTs(
        IReadOnlyDictionary<(string Schedd, string Kind), DateTimeOffset> latest, string schedd, string kind) =>
        latest.TryGetValue((schedd, kind), out var at)
            ? (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond
            : null;
}
