using Wms.GrainInterfaces.Grains;
using Wms.Grains.Tests.Support;

namespace Wms.Grains.Tests.Cluster;

/// <summary>The cached way to a string-keyed grain makes the very reference Orleans makes, for each interface.</summary>
[Collection(FastClusterCollection.Name)]
public sealed class GrainReferencesTests(FastCluster cluster)
{
    [Fact]
    public async Task EveryReferenceAfterTheFirstIsTheOneOrleansWouldMake()
    {
        var grains = cluster.Client;
        var workflowId = Build.WorkflowId();
        _ = grains.Get<IWorkflowGrain>(Build.WorkflowId());
        _ = grains.Get<ITaskforceGrain>(Guid.NewGuid().ToString());

        var workflow = grains.Get<IWorkflowGrain>(workflowId);
        var taskforce = grains.Get<ITaskforceGrain>(workflowId);

        Assert.Equal(Reference(grains.GetGrain<IWorkflowGrain>(workflowId)), Reference(workflow));
        Assert.Equal(Reference(grains.GetGrain<ITaskforceGrain>(workflowId)), Reference(taskforce));
        Assert.NotEqual(Reference(workflow).GrainId, Reference(taskforce).GrainId);
        // And it reaches its grain: a workflow never created has nothing to show.
        Assert.Null(await workflow.GetAsync());
    }

    private static (GrainId GrainId, GrainInterfaceType Interface) Reference(object grain) =>
        (((GrainReference)grain).GrainId, ((GrainReference)grain).InterfaceType);
}
