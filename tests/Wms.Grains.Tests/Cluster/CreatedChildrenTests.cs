using System.Text;
using Wms.Domain.Commands;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Outcomes;
using Wms.Grains.Tests.Support;

namespace Wms.Grains.Tests.Cluster;

/// <summary>
/// The taskforces and task directives a workflow creates have no state of their own until they first change: the
/// workflow hands a taskforce its document in the call that changes it, and anyone else finds it in the index.
/// </summary>
[Collection(FastClusterCollection.Name)]
public sealed class CreatedChildrenTests(FastCluster cluster)
{
    [Fact]
    public async Task AReportOnANeverChangedTaskforceStartsFromItsIndexedDocumentAndSurvivesItsActivation()
    {
        var id = Build.WorkflowId();
        cluster.Mqs.Hold(id);
        var workflow = cluster.Client.GetGrain<IWorkflowGrain>(id);
        try
        {
            var created = await workflow.CreateNewAsync(Build.Workflow(Build.Task([Build.Alpha])));
            var uuid = Assert.Single(created.Taskforces).TaskforceUuid;
            var update = new StatusUpdate(
                new Dictionary<string, IReadOnlyDictionary<string, long>> { ["RUNNING"] = new Dictionary<string, long> { ["Tasking"] = 4 } }, null);

            Assert.Equal(TmsOutcome.Applied, await cluster.Client.GetGrain<ITaskforceGrain>(uuid).UpdateStatusesAsync(update));
            var reported = await cluster.Client.GetGrain<ITaskforceGrain>(uuid).GetAsync();
            Assert.Equal(Wire(created.Taskforces[0] with { CompoundStatuses = reported!.CompoundStatuses }), Wire(reported));
            Assert.Equal(4, reported.CompoundStatuses["RUNNING"]["Tasking"]);

            // The activation hands over the created document again; the taskforce keeps what it holds.
            cluster.Mqs.Release(id);
            Assert.Equal(ActivationKind.Activated, (await workflow.ActivateMqAsync()).Kind);
            var activated = await cluster.Client.GetGrain<ITaskforceGrain>(uuid).GetAsync();
            // Launch control may already have moved it on.
            Assert.Contains(activated!.Phase, new[] { Phase.PreLaunch, Phase.PendingStarter });
            Assert.Equal(4, activated.CompoundStatuses["RUNNING"]["Tasking"]);
        }
        finally
        {
            await workflow.DeactivateAsync(Deactivation.Aborted);
        }
    }

    [Fact]
    public async Task ANeverChangedTaskforceIsStoppedFromTheDocumentItsWorkflowHandsIt()
    {
        var id = Build.WorkflowId();
        cluster.Mqs.Hold(id);
        var workflow = cluster.Client.GetGrain<IWorkflowGrain>(id);
        var created = await workflow.CreateNewAsync(Build.Workflow(Build.Task([Build.Alpha, Build.Beta])));

        Assert.Equal(2, (await workflow.DeactivateAsync(Deactivation.Aborted)).NTaskforces);

        foreach (var taskforce in created.Taskforces)
        {
            var stopped = await cluster.Client.GetGrain<ITaskforceGrain>(taskforce.TaskforceUuid).GetAsync();
            Assert.Equal(Phase.PendingStopper, stopped!.Phase);
            Assert.Equal(taskforce.PhaseChangeLog[0], stopped.PhaseChangeLog[0]);
            Assert.Equal(2, cluster.Index.TaskforceRevision(taskforce.TaskforceUuid));
        }
    }

    [Fact]
    public async Task ATaskforceOrDirectiveOfAnUnknownWorkflowIsUnknown()
    {
        var taskId = Ids.NewTaskId(Build.WorkflowId());
        var uuid = Ids.NewTaskforceUuid(taskId);

        Assert.Null(await cluster.Client.GetGrain<ITaskforceGrain>(uuid).GetAsync());
        Assert.Equal(TmsOutcome.UnknownTaskforce, await cluster.Client.GetGrain<ITaskforceGrain>(uuid).CondorRmAsync());
        Assert.Null(await cluster.Client.GetGrain<ITaskDirectiveGrain>(taskId).GetAsync());
    }

    [Fact]
    public async Task ADirectiveGrainAnswersItsCreatedDocument()
    {
        var id = Build.WorkflowId();
        cluster.Mqs.Hold(id);
        var workflow = cluster.Client.GetGrain<IWorkflowGrain>(id);
        try
        {
            var created = await workflow.CreateNewAsync(Build.Workflow(Build.Task([Build.Alpha])));
            var directive = Assert.Single(created.TaskDirectives);

            var read = await cluster.Client.GetGrain<ITaskDirectiveGrain>(directive.TaskId).GetAsync();
            Assert.Equal(Encoding.UTF8.GetString(WireJson.ToUtf8(directive)), Encoding.UTF8.GetString(WireJson.ToUtf8(read!)));
        }
        finally
        {
            await workflow.DeactivateAsync(Deactivation.Aborted);
        }
    }

    private static string Wire(TaskforceDocument taskforce) => Encoding.UTF8.GetString(WireJson.ToUtf8(taskforce));
}
