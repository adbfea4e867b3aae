using System.Text;
using System.Text.Json.Nodes;
using Wms.Api.Watch;
using Wms.Domain.Explain;

namespace Wms.Api.Explain;

/// <summary>
/// Live watch's explanations: the very objects <c>GET .../workflows/{id}/explain</c> answers, one per taskforce, so a
/// watcher's <c>explain</c> event and the endpoint never disagree.
/// </summary>
public sealed class WatchExplanations(WorkflowExplainer explainer) : IWatchExplainer
{
    /// <summary>
    /// Reasons whose evidence moves on with nothing happening to the taskforce (a TMS falls silent, a back-off runs
    /// out, the launch queue drains): a watcher asks for these again from time to time, not only after an event.
    /// </summary>
    public static bool ChangesWithTime(string reason) => reason is ExplainReason.MqActivationPending
        or ExplainReason.LaunchQueue or ExplainReason.WaitingForTms or ExplainReason.TmsNotPolling
        or ExplainReason.SubmittedNoReport or ExplainReason.RemovalPending;

    public async Task<IReadOnlyList<WatchExplanation>> ExplainAsync(
        string workflowId, IReadOnlyCollection<string>? taskforceUuids, CancellationToken cancellationToken)
    {
        IEnumerable<JsonObject> explained;
        if (taskforceUuids is null)
        {
            if (await explainer.ExplainWorkflowAsync(workflowId, cancellationToken) is not { } workflow
                || workflow["taskforces"] is not JsonArray taskforces)
            {
                return [];
            }
            explained = taskforces.OfType<JsonObject>();
        }
        else
        {
            explained = await explainer.ExplainTaskforcesAsync(workflowId, taskforceUuids, cancellationToken);
        }
        return [.. explained.Select(e => new WatchExplanation(
            e["taskforce_uuid"]!.GetValue<string>(),
            e["reason"]!.GetValue<string>(),
            // Not indented: an event's data is one line.
            Encoding.UTF8.GetBytes(e.ToJsonString())))];
    }
}
