using Wms.Domain.Model;
using Wms.GrainInterfaces.Grains;
using Wms.Grains.Tests.Support;
using Wms.Testing;

namespace Wms.Grains.Tests.Cluster;

/// <summary>A failing few never starve everyone else of MQ activation.</summary>
[Collection(PacedClusterCollection.Name)]
public sealed class ActivationFairnessTests(PacedCluster cluster)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WithTwentyWorkflowsTheMqsAlwaysFailsANewOneIsActivatedWithinTwoLoopPeriods()
    {
        var failing = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var id = Build.WorkflowId();
            cluster.Mqs.Script(id, [.. Enumerable.Repeat(ScriptedMqsClient.Fail("MQS error 500"), 10_000)]);
            await Workflow(id).CreateNewAsync(Build.Workflow(100, Build.Task([Build.Alpha])));
            failing.Add(id);
        }
        try
        {
            Assert.True(await Poll.UntilAsync(() => failing.All(id => cluster.Mqs.Activations(id).Count >= 1), Deadline),
                "the failing workflows were not all tried");

            foreach (var round in Enumerable.Range(0, 3))
            {
                var fresh = Build.WorkflowId();
                var created = await Workflow(fresh).CreateNewAsync(Build.Workflow(0, Build.Task([Build.Alpha])));
                Assert.True(await Poll.UntilAsync(async () => (await Workflow(fresh).GetAsync())?.MqActivatedTs is not null, Deadline));
                var waited = (await Workflow(fresh).GetAsync())!.MqActivatedTs!.Value - created.Workflow.Timestamp;
                Assert.True(waited <= 2 * PacedCluster.LoopPeriod.TotalSeconds,
                    $"workflow {round + 1} waited {waited:F2} s for its queues beside 20 failing ones");
            }
        }
        finally
        {
            foreach (var id in failing)
            {
                await Workflow(id).DeactivateAsync(Deactivation.Aborted);
            }
        }
    }

    private IWorkflowGrain Workflow(string id) => cluster.Client.GetGrain<IWorkflowGrain>(id);
}
