using System.Text.Json.Nodes;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Storage;
using Wms.Grains.Tests.Support;
using Wms.Testing;

namespace Wms.Grains.Tests.Cluster;

/// <summary>A workflow whose queues are activated has nothing due, so it does not wait for its idle age in memory.</summary>
[Collection(FastClusterCollection.Name)]
public sealed class IdleWorkflowTests(FastCluster cluster)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task AWorkflowFreesItsActivationOnceItsQueuesAreActivated()
    {
        var id = Build.WorkflowId();
        await cluster.Client.GetGrain<IWorkflowGrain>(id).CreateNewAsync(Build.Workflow(Build.Task([Build.Alpha])));

        // Watched through the index and the cluster's statistics only: a call to the grain would activate it again.
        Assert.True(await Poll.UntilAsync(async () =>
            await cluster.Index.GetJsonAsync(ObjectKind.Workflow, id) is { } json
            && JsonNode.Parse(json)!["mq_activated_ts"] is not null, Deadline));
        Assert.True(await Poll.UntilAsync(async () => !await IsActiveAsync(id), Deadline));

        // It comes back on the next call, from its stored state.
        Assert.NotNull((await cluster.Client.GetGrain<IWorkflowGrain>(id).GetAsync())?.MqActivatedTs);
    }

    private async Task<bool> IsActiveAsync(string workflowId)
    {
        var statistics = await cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return statistics.Any(s => s.GrainType.StartsWith($"{typeof(WorkflowGrain).FullName},", StringComparison.Ordinal)
            && s.GrainId.Key.ToString() == workflowId);
    }
}
