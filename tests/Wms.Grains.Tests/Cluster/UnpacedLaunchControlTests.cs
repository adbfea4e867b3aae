using Wms.Domain.Model;
using Wms.GrainInterfaces.Grains;
using Wms.Grains.Loops;
using Wms.Grains.Tests.Support;
using Wms.Testing;

namespace Wms.Grains.Tests.Cluster;

[Collection(UnpacedClusterCollection.Name)]
public sealed class UnpacedLaunchControlTests(UnpacedCluster cluster)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task UnpacedLaunchControlMovesHundredsOfTaskforcesToPendingStarterStartingThemInOrder()
    {
        Assert.True(await Poll.UntilAsync(async () =>
            (await cluster.Index.ActivationCandidatesAsync(double.MaxValue, 1)).Count == 0
            && (await cluster.Index.LaunchCandidatesAsync(1)).Count == 0, Deadline));

        // One workflow of 10 tasks at 30 pools: its activation moves all 300 taskforces to pre-launch in one step,
        // and only then wakes launch control, which so finds them all at once.
        var pools = Enumerable.Range(0, 30).Select(_ => Build.UniqueLocation()).ToList();
        var tasks = Enumerable.Range(0, 10).Select(i => Build.Task(pools, workerPriority: i * 3 % 10)).ToArray();
        var id = Build.WorkflowId();
        var created = await cluster.Client.GetGrain<IWorkflowGrain>(id).CreateNewAsync(Build.Workflow(tasks));
        Assert.Equal(300, created.Taskforces.Count);

        var taskforces = new List<TaskforceDocument>();
        Assert.True(await Poll.UntilAsync(async () =>
        {
            taskforces.Clear();
            foreach (var planned in created.Taskforces)
            {
                var tf = await cluster.Client.GetGrain<ITaskforceGrain>(planned.TaskforceUuid).GetAsync();
                if (tf?.Phase != Phase.PendingStarter)
                {
                    return false;
                }
                taskforces.Add(tf);
            }
            return true;
        }, Deadline), "not every taskforce reached pending-starter");

        var launchedAt = new Dictionary<string, double>();
        foreach (var tf in taskforces)
        {
            Assert.Equal([Phase.PreMqActivation, Phase.PreLaunch, Phase.PendingStarter],
                tf.PhaseChangeLog.Select(e => e.TargetPhase));
            var entry = tf.PhaseChangeLog[^1];
            Assert.True(entry.WasSuccessful);
            Assert.Equal(SourceEntity.TaskforceLaunchControl, entry.SourceEntity);
            launchedAt[tf.TaskforceUuid] = entry.Timestamp;
        }

        // Launches overlap, so their times interleave within a window; but one starts only when all but a window's
        // worth of those before it in the order have finished. Taken in the wrong order, the later ones would be
        // far ahead of that.
        var inOrder = taskforces.OrderByDescending(tf => tf.WorkerConfig.Priority).ThenBy(tf => tf.Timestamp)
            .ThenBy(tf => tf.TaskforceUuid, StringComparer.Ordinal).Select(tf => launchedAt[tf.TaskforceUuid]).ToList();
        for (var i = 0; i < inOrder.Count; i++)
        {
            var notLater = inOrder.Count(at => at <= inOrder[i]);
            Assert.True(notLater >= i - LaunchControlGrain.LaunchWindow + 1,
                $"number {i + 1} in the order was launched when only {notLater} had been");
        }
    }
}
