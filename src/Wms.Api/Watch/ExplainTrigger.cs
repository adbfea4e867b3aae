using Wms.Domain.Explain;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Watch;

namespace Wms.Api.Watch;

/// <summary>
/// Which events make a watcher ask for its workflow's explanations again. Watchers are told only when a reason
/// changes, and asking costs the explainer several reads, so a TMS report that leaves a submitted taskforce in the
/// state it was explained in (running, say, with a few more workers) asks nothing: that reason depends on the
/// report alone (<see cref="ClusterExplanations.ReasonOf"/>). Everything else can move a reason and asks.
/// </summary>
public static class ExplainTrigger
{
    /// <param name="change">The event.</param>
    /// <param name="reasons">The reason last explained for each taskforce.</param>
    public static bool CanChangeReason(WatchEvent change, IReadOnlyDictionary<string, string> reasons)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(reasons);
        if (change.Taskforce is not { } tf)
        {
            // A deactivation explains the taskforces it has not reached yet as stopped.
            return change.Workflow is not null;
        }
        return tf.Phase != Phase.CondorSubmit || tf.ClusterId is null
            || !reasons.TryGetValue(tf.TaskforceUuid, out var explained)
            || explained != ReasonOf(tf);
    }

    /// <summary>The reason a submitted taskforce has with this report.</summary>
    public static string ReasonOf(TaskforceSummary taskforce)
    {
        ArgumentNullException.ThrowIfNull(taskforce);
        return ClusterExplanations.ReasonOf(
            WorkerCounts.Of(taskforce.CompoundStatuses),
            ClusterExplanations.Reported(taskforce.CompoundStatuses.Count, taskforce.TopTaskErrors.Count));
    }
}
