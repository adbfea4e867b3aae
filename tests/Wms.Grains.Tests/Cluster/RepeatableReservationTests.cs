using Wms.Domain.Model;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Mqs;
using Wms.Grains.Tests.Support;
using Wms.Testing;

namespace Wms.Grains.Tests.Cluster;

/// <summary>
/// With an MQS that keeps nothing of a reservation (the embedded one), a workflow stores nothing before it reserves,
/// and activation grants the queues the workflow itself holds.
/// </summary>
[Collection(RepeatableMqsClusterCollection.Name)]
public sealed class RepeatableReservationTests(RepeatableMqsCluster cluster)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task AFailedReservationLeavesNothingAndTheRetryReservesAgain()
    {
        var id = Build.WorkflowId();
        cluster.Mqs.FailReservation(id, "MQS is down");
        var grain = cluster.Client.GetGrain<IWorkflowGrain>(id);
        var spec = Build.Workflow(Build.Task([Build.Alpha], inputs: ["in-q"], outputs: ["out-q"]));

        await Assert.ThrowsAsync<MqsException>(() => grain.CreateNewAsync(spec));
        Assert.Null(await grain.GetAsync());
        Assert.Empty(cluster.Index.BatchesWith(id));

        cluster.Mqs.AllowReservation(id);
        var created = await grain.CreateNewAsync(spec);

        Assert.Equal(2, cluster.Mqs.Reservations(id).Count);
        var mqid = cluster.Mqs.ReservedProfiles(id).ToDictionary(p => p.Alias, p => p.MqId);
        var directive = Assert.Single(created.TaskDirectives);
        Assert.Equal([mqid["in-q"]], directive.InputQueues);
        Assert.Equal([mqid["out-q"]], directive.OutputQueues);
        await grain.DeactivateAsync(Deactivation.Aborted);
    }

    [Fact]
    public async Task ActivationGrantsTheProfilesTheWorkflowReserved()
    {
        var id = Build.WorkflowId();
        var grain = cluster.Client.GetGrain<IWorkflowGrain>(id);
        cluster.Mqs.Hold(id);
        var created = await grain.CreateNewAsync(Build.Workflow(
            Build.Task([Build.Alpha], inputs: ["in-q"], outputs: ["out-q"])));
        var reserved = await grain.GetMqProfilesAsync();
        Assert.Equal(2, reserved.Count);
        Assert.All(reserved, p => Assert.False(p.IsActivated));
        cluster.Mqs.Release(id);

        Assert.True(await Poll.UntilAsync(async () => (await grain.GetAsync())?.MqActivatedTs is not null, Deadline));

        var activated = (await grain.GetMqProfilesAsync()).ToDictionary(p => p.Alias);
        Assert.Equal(reserved.Select(p => (p.Alias, p.MqId)).Order(), activated.Values.Select(p => (p.Alias, p.MqId)).Order());
        Assert.All(activated.Values, p =>
        {
            Assert.True(p.IsActivated);
            Assert.Equal(ScriptedMqsClient.TokenFor(p.MqId), p.AuthToken);
        });
        var taskforce = Assert.Single(created.Taskforces);
        var environment = (await cluster.Client.GetGrain<ITaskforceGrain>(taskforce.TaskforceUuid).GetAsync())!
            .PilotConfig.Environment;
        Assert.Equal(ConfigValue.Of([activated["in-q"].MqId]), environment["EWMS_PILOT_QUEUE_INCOMING"]);
        Assert.Equal(ConfigValue.Of([ScriptedMqsClient.TokenFor(activated["out-q"].MqId)]),
            environment["EWMS_PILOT_QUEUE_OUTGOING_AUTH_TOKEN"]);
        await grain.DeactivateAsync(Deactivation.Aborted);
    }

    [Fact]
    public async Task AnUnknownWorkflowHasNoProfiles() =>
        Assert.Empty(await cluster.Client.GetGrain<IWorkflowGrain>(Build.WorkflowId()).GetMqProfilesAsync());
}
