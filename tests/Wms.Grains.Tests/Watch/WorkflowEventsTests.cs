using Wms.Domain.Model;
using Wms.Domain.Watch;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Outcomes;
using Wms.GrainInterfaces.Watch;
using Wms.Grains.Tests.Support;
using Wms.Testing;

namespace Wms.Grains.Tests.Watch;

/// <summary>
/// A workflow's events grain and the grains that publish to it, on two silos: every silo's directory knows a watched
/// workflow before the subscription returns, a watcher is sent every change in order, an unwatched workflow costs no
/// events grain, a watcher too far behind is restarted, and a reconnect is given what it missed.
/// </summary>
[Collection(WatchClusterCollection.Name)]
public sealed class WorkflowEventsTests(WatchCluster cluster)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task EverySilosDirectoryKnowsAWatchedWorkflowWhenTheSubscriptionReturns()
    {
        var id = Build.WorkflowId();
        Assert.All(cluster.Directories, d => Assert.False(d.IsWatched(id)));
        var watcher = new RecordingWatcher();

        await Events(id).WatchAsync(watcher.Id, Observe(watcher));

        Assert.Equal(2, cluster.Directories.Count);
        Assert.All(cluster.Directories, d => Assert.True(d.IsWatched(id)));
        Assert.All(cluster.Directories, d => Assert.False(d.IsWatched(Build.WorkflowId())));
    }

    [Fact]
    public async Task AWatcherIsSentEveryChangeOfTheWorkflowInOrder()
    {
        var id = Build.WorkflowId();
        var watcher = new RecordingWatcher();
        var subscription = await Events(id).WatchAsync(watcher.Id, Observe(watcher));
        Assert.Equal((0L, false), (subscription.Sequence, subscription.Renewed));

        var workflow = cluster.Client.GetGrain<IWorkflowGrain>(id);
        var created = await workflow.CreateNewAsync(Build.Workflow(Build.Task([Build.UniqueLocation()])));
        var uuid = created.Taskforces.Single().TaskforceUuid;
        var taskforce = cluster.Client.GetGrain<ITaskforceGrain>(uuid);
        await UntilAsync(() => watcher.Events.Any(e => e.Taskforce?.Phase == Phase.PendingStarter), "the launch");
        Assert.Equal(TmsOutcome.Applied, await taskforce.CondorSubmitAsync(Build.Submission(41)));
        Assert.Equal(TmsOutcome.Applied, await taskforce.UpdateStatusesAsync(new Domain.Commands.StatusUpdate(
            new Dictionary<string, IReadOnlyDictionary<string, long>>
            {
                ["RUNNING"] = new Dictionary<string, long> { ["Tasking"] = 3 },
            }, null)));
        Assert.NotNull((await workflow.DeactivateAsync(Deactivation.Finished)).NTaskforces);
        await UntilAsync(() => watcher.Events.Any(e => e.WorkflowChange == WorkflowChange.Deactivated), "the deactivation");

        var events = watcher.Events;
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal(
            [
                "taskforce phase pre-mq-activation>pre-launch", "taskforce phase pre-launch>pending-starter",
                "taskforce phase pending-starter>condor-submit", "taskforce status",
                "taskforce phase condor-submit>pending-stopper",
            ],
            events.Where(e => e.Taskforce is not null).Select(Describe));
        Assert.Equal(["workflow activated", "workflow deactivated"], events.Where(e => e.Workflow is not null).Select(Describe));
        // A change waits until it is numbered: the workflow records its activation after its taskforces moved, and
        // its deactivation after they stopped (launch control may launch the taskforce in between).
        var told = events.Select(Describe).ToList();
        Assert.True(told.IndexOf("workflow activated") > told.IndexOf("taskforce phase pre-mq-activation>pre-launch"));
        Assert.Equal("workflow deactivated", told[^1]);
        var status = events.Single(e => e.Taskforce?.Change == TaskforceChange.Status).Taskforce!;
        Assert.Equal((41L, 3L), (status.ClusterId!.Value, status.CompoundStatuses["RUNNING"]["Tasking"]));
        Assert.NotNull(events.First(e => e.Workflow is not null).Workflow!.MqActivatedTs);
    }

    [Fact]
    public async Task AnUnwatchedWorkflowsChangesActivateNoEventsGrain()
    {
        var id = Build.WorkflowId();
        var created = await cluster.Client.GetGrain<IWorkflowGrain>(id)
            .CreateNewAsync(Build.Workflow(Build.Task([Build.UniqueLocation()])));
        var uuid = created.Taskforces.Single().TaskforceUuid;
        await UntilAsync(async () => (await cluster.Client.GetGrain<ITaskforceGrain>(uuid).GetAsync())!.Phase == Phase.PendingStarter,
            "the launch");
        Assert.Equal(TmsOutcome.Applied, await cluster.Client.GetGrain<ITaskforceGrain>(uuid).CondorSubmitAsync(Build.Submission(42)));

        var activations = await cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        Assert.Contains(activations, a => a.GrainId.Key.ToString() == uuid);
        Assert.DoesNotContain(activations, a => a.GrainType.Contains(nameof(Grains.Watch.WorkflowEventsGrain), StringComparison.Ordinal)
            && a.GrainId.Key.ToString() == id);
    }

    [Fact]
    public async Task AReconnectIsGivenWhatItMissedOrToldWhyNot()
    {
        var id = Build.WorkflowId();
        var events = Events(id);
        var watcher = new RecordingWatcher();
        var subscription = await events.WatchAsync(watcher.Id, Observe(watcher));
        await PublishAsync(events, id, 5);
        await UntilAsync(() => watcher.Events.Count == 5, "five events");

        var missed = await events.ReadSinceAsync(subscription.Epoch, 2);
        Assert.Null(missed.SnapshotCause);
        Assert.Equal([3L, 4, 5], missed.Events!.Select(e => e.Sequence));
        Assert.Equal(watcher.Events.Skip(2).Select(e => e.Taskforce!.TaskforceUuid), missed.Events!.Select(e => e.Taskforce!.TaskforceUuid));
        Assert.Empty((await events.ReadSinceAsync(subscription.Epoch, 5)).Events!);

        Assert.Equal(SnapshotCause.OtherEpoch, (await events.ReadSinceAsync(EventPosition.NewEpoch(), 2)).SnapshotCause);
        Assert.Equal(SnapshotCause.UnknownId, (await events.ReadSinceAsync(subscription.Epoch, 6)).SnapshotCause);
        await PublishAsync(events, id, WatchCluster.Buffered);
        await UntilAsync(() => watcher.Events.Count == 5 + WatchCluster.Buffered, "the buffer's worth more");
        Assert.Equal(SnapshotCause.TooOld, (await events.ReadSinceAsync(subscription.Epoch, 2)).SnapshotCause);
        Assert.Null((await events.ReadSinceAsync(subscription.Epoch, 5)).SnapshotCause);
    }

    [Fact]
    public async Task AnOlderChangeOfATaskforceThatArrivesLateIsDropped()
    {
        var id = Build.WorkflowId();
        var events = Events(id);
        var watcher = new RecordingWatcher();
        await events.WatchAsync(watcher.Id, Observe(watcher));

        await events.PublishAsync(Change(id, "TF-same", revision: 3));
        await UntilAsync(() => watcher.Events.Count == 1, "the first change");
        await events.PublishAsync(Change(id, "TF-same", revision: 1));
        await events.PublishAsync(Change(id, "TF-same", revision: 2));
        await events.PublishAsync(Change(id, "TF-same", revision: 4));
        await UntilAsync(() => watcher.Events.Any(e => e.Taskforce!.Revision == 4), "the newest change");

        Assert.Equal([3L, 4], watcher.Events.Select(e => e.Taskforce!.Revision));
        Assert.Equal([1L, 2], watcher.Events.Select(e => e.Sequence));
    }

    [Fact]
    public async Task AWatcherFallenBehindTheBufferIsRestartedAndThenSentTheRest()
    {
        var id = Build.WorkflowId();
        var events = Events(id);
        var watcher = new RecordingWatcher();
        var subscription = await events.WatchAsync(watcher.Id, Observe(watcher));
        watcher.Hold();
        await PublishAsync(events, id, 1);
        await UntilNumberedAsync(events, subscription.Epoch, 1);
        // The send of event 1 is held; meanwhile the buffer fills and wraps.
        var total = 3 * WatchCluster.Buffered;
        await PublishAsync(events, id, total - 1);
        await UntilNumberedAsync(events, subscription.Epoch, total);

        watcher.Release();
        await UntilAsync(() => watcher.Restarts.Count > 0, "the restart");
        await PublishAsync(events, id, 1);
        await UntilAsync(() => watcher.Events.Count > 0 && watcher.Events[^1].Sequence == total + 1, "the next event");

        // By the end of the held send the rest was beyond the buffer: the watcher was restarted at the newest, and
        // the events after the restart followed it.
        Assert.Equal((subscription.Epoch, (long)total), Assert.Single(watcher.Restarts));
        Assert.Equal([1L, total + 1], watcher.Events.Select(e => e.Sequence));
    }

    private IWorkflowEventsGrain Events(string workflowId) => cluster.Client.GetGrain<IWorkflowEventsGrain>(workflowId);

    private IWorkflowEventsObserver Observe(RecordingWatcher watcher) =>
        cluster.Client.CreateObjectReference<IWorkflowEventsObserver>(watcher);

    private static WatchEvent Change(string workflowId, string taskforceUuid, long revision)
    {
        var taskforce = Build.Taskforce(Phase.CondorSubmit) with { WorkflowId = workflowId };
        return WatchEvent.Of(TaskforceSummary.Of(null, taskforce, revision, revision) with { TaskforceUuid = taskforceUuid });
    }

    /// <summary>
    /// Changes of as many taskforces: one-way calls may arrive in any order, and the grain numbers them as they come.
    /// </summary>
    private static async Task PublishAsync(IWorkflowEventsGrain events, string workflowId, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await events.PublishAsync(Change(workflowId, $"TF-{Guid.NewGuid():N}", revision: 1));
        }
    }

    /// <summary>Until the grain has numbered <paramref name="sequence"/> events (asking for more is then no longer unknown).</summary>
    private static Task UntilNumberedAsync(IWorkflowEventsGrain events, string epoch, long sequence) =>
        UntilAsync(async () => (await events.ReadSinceAsync(epoch, sequence)).SnapshotCause != SnapshotCause.UnknownId,
            $"event {sequence}");

    private static string Describe(WatchEvent e) => e.Taskforce is { } tf
        ? tf.Change == TaskforceChange.Phase ? $"taskforce phase {tf.PreviousPhase}>{tf.Phase}" : $"taskforce {tf.Change}"
        : $"workflow {e.WorkflowChange}";

    private static async Task UntilAsync(Func<bool> condition, string what) =>
        Assert.True(await Poll.UntilAsync(() => Task.FromResult(condition()), Deadline), $"never saw {what}");

    private static async Task UntilAsync(Func<Task<bool>> condition, string what) =>
        Assert.True(await Poll.UntilAsync(condition, Deadline), $"never saw {what}");
}
