using Wms.Domain.Model;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Watch;

namespace Wms.Grains.Watch;

/// <summary>
/// How the taskforce and workflow grains tell watchers of a change, at their commit points: a lookup in the silo's
/// <see cref="WatchDirectory"/>, and for a watched workflow alone a one-way call to its events grain, so that the
/// change's caller never waits for any watcher.
/// </summary>
/// <remarks>
/// A grain publishes after it stored and indexed the change: a watcher's snapshot, read from the index after it
/// subscribed, then holds every change numbered before the subscription, and every later one reaches it as an event.
/// </remarks>
public static class WatchPublishing
{
    public static void PublishTaskforce(
        this WatchDirectory directory, IGrainFactory grains, TaskforceDocument? previous, TaskforceDocument next,
        double timestamp, long revision)
    {
        if (!directory.IsWatched(next.WorkflowId))
        {
            return;
        }
        var change = WatchEvent.Of(TaskforceSummary.Of(previous, next, timestamp, revision));
        _ = grains.Get<IWorkflowEventsGrain>(next.WorkflowId).PublishAsync(change);
    }

    public static void PublishWorkflow(
        this WatchDirectory directory, IGrainFactory grains, WorkflowDocument workflow, string change, long revision,
        double timestamp)
    {
        if (!directory.IsWatched(workflow.WorkflowId))
        {
            return;
        }
        _ = grains.Get<IWorkflowEventsGrain>(workflow.WorkflowId)
            .PublishAsync(WatchEvent.Of(workflow, change, revision, timestamp));
    }
}
