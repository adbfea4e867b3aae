using Wms.Domain.Model;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Outcomes;
using Wms.Grains.Tests.Support;
using Wms.Testing;

namespace Wms.Grains.Tests.Cluster;

[Collection(PacedLaunchClusterCollection.Name)]
public sealed class LaunchControlTests(PacedLaunchCluster cluster)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ReleasesPreLaunchTaskforcesByTaskforcePriorityThenWorkerPriorityThenAgeAtTheConfiguredPace()
    {
        var id = Build.WorkflowId();
        var workflow = cluster.Client.GetGrain<IWorkflowGrain>(id);
        cluster.Mqs.Hold(id);
        var created = await workflow.CreateNewAsync(Build.Workflow(
            Build.Task([Build.Alpha, Build.Beta], workerPriority: 5),
            Build.Task([Build.Alpha], workerPriority: 9),
            Build.Task([Build.Beta], workerPriority: 1)));
        var byPriority = created.TaskDirectives.ToDictionary(
            td => created.Taskforces.First(tf => tf.TaskId == td.TaskId).WorkerConfig.Priority, td => td.TaskId);

        // Younger taskforces of the same tasks, still waiting for the queues like the rest.
        var added = new List<TaskforceDocument>();
        foreach (var priority in new long[] { 5, 1 })
        {
            var outcome = await workflow.AddWorkersAsync(byPriority[priority], Build.Alpha, 2);
            Assert.Equal(AddWorkersKind.Added, outcome.Kind);
            Assert.Equal(Phase.PreMqActivation, outcome.Taskforce!.Phase);
            added.Add(outcome.Taskforce);
        }
        var all = created.Taskforces.Concat(added).ToList();
        Assert.Equal(6, all.Count);

        // All six reach pre-launch in the one activation step, then launch control takes them one per beat.
        cluster.Mqs.Release(id);
        Assert.True(await Poll.UntilAsync(async () => await PhasesAsync(all, Phase.PendingStarter), Deadline));

        var launched = new List<(TaskforceDocument Tf, double At)>();
        foreach (var tf in all)
        {
            var now = (await cluster.Client.GetGrain<ITaskforceGrain>(tf.TaskforceUuid).GetAsync())!;
            var entry = now.PhaseChangeLog.Single(e => e.TargetPhase == Phase.PendingStarter);
            Assert.True(entry.WasSuccessful);
            Assert.Equal(SourceEntity.TaskforceLaunchControl, entry.SourceEntity);
            Assert.Equal([Phase.PreMqActivation, Phase.PreLaunch, Phase.PendingStarter],
                now.PhaseChangeLog.Select(e => e.TargetPhase));
            launched.Add((now, entry.Timestamp));
        }
        var inLaunchOrder = launched.OrderBy(x => x.At).Select(x => x.Tf).ToList();
        var expected = all.OrderByDescending(tf => tf.Priority).ThenByDescending(tf => tf.WorkerConfig.Priority)
            .ThenBy(tf => tf.Timestamp).Select(tf => (tf.Priority, tf.WorkerConfig.Priority, tf.Timestamp)).ToList();
        Assert.Equal(expected, inLaunchOrder.Select(tf => (tf.Priority, tf.WorkerConfig.Priority, tf.Timestamp)));
        // Added workers carry the workflow's priority raised, so they go before every first taskforce.
        Assert.Equal(added[0].TaskforceUuid, inLaunchOrder[0].TaskforceUuid);
        Assert.Equal(added[1].TaskforceUuid, inLaunchOrder[1].TaskforceUuid);
        Assert.Equal(9, inLaunchOrder[2].WorkerConfig.Priority);

        var times = launched.Select(x => x.At).Order().ToList();
        for (var i = 1; i < times.Count; i++)
        {
            Assert.True(times[i] - times[i - 1] >= PacedLaunchCluster.Delay.TotalSeconds * 0.5,
                $"launch {i + 1} came {times[i] - times[i - 1]:F3} s after the previous one");
        }
    }

    private async Task<bool> PhasesAsync(IEnumerable<TaskforceDocument> taskforces, string phase)
    {
        foreach (var tf in taskforces)
        {
            if ((await cluster.Client.GetGrain<ITaskforceGrain>(tf.TaskforceUuid).GetAsync())?.Phase != phase)
            {
                return false;
            }
        }
        return true;
    }
}
