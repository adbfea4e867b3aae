using Wms.Domain.Model;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Watch;

namespace Wms.Grains.Watch;

/// <summary>
/// How the taskforce and workflow grains tell watchers of a change, at their commit points: a lookup in the silo's
/// <see cref="WatchDirectory"/>, and for a watched workflow alone a call to its events grain.
/// </summary>
/// <remarks>
/// A grain publishes after it stored and indexed the change: a watcher's snapshot, read from the index after it
/// subscribed, then holds every change numbered before the subscription, and every later one reaches it as an event.
/// The grain waits (briefly: <see cref="WatchDirectory.SendAsync"/>) until the change is numbered, so that a change
/// that led to another, in another grain, is numbered first: a one-way call could arrive after the later change.
/// </remarks>
public static class WatchPublishing
{
    public static Task PublishTaskforceAsync(
        this WatchDirectory directory, IGrainFactory grains, TaskforceDocument? previous, TaskforceDocument next,
        double timestamp, long revision) =>
        directory.IsWatched(next.WorkflowId)
            ? directory.SendAsync(grains.Get<IWorkflowEventsGrain>(next.WorkflowId),
                WatchEvent.Of(TaskforceSummary.Of(previous, next, timestamp, revision)))
            : Task.CompletedTask;

    public static Task PublishWorkflowAsync(
        this WatchDirectory directory, IGrainFactory grains, WorkflowDocument workflow, string change, long revision,
        double timestamp) =>
        directory.IsWatched(workflow.WorkflowId)
            ? directory.SendAsync(grains.Get<IWorkflowEventsGrain>(workflow.WorkflowId),
                WatchEvent.Of(workflow, change, revision, timestamp))
            : Task.CompletedTask;
}
