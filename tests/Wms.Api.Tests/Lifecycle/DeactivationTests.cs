using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;
using Wms.Testing;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.Lifecycle;

public abstract class DeactivationTests
{
    protected abstract StorageMode Mode { get; }

    [Fact]
    public async Task AbortBeforeMqActivationStopsEverythingAndTheActivatorForgetsTheWorkflow()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var mqs = host.FakeMqs;
        string? laterWorkflowId = null;
        // The MQS never lets the first workflow in; the later one is let in on its third attempt.
        mqs.ActivationPolicy = r => r.WorkflowId == Volatile.Read(ref laterWorkflowId) && r.AttemptForWorkflow >= 3
            ? ActivationOutcome.Grant
            : ActivationOutcome.TryAgainLater();

        var created = await host.User.CreateWorkflowAsync(SimpleWorkflow(Alpha, Beta));
        var workflowId = WorkflowId(created);
        var uuids = TaskforceUuids(created);
        Assert.True(await mqs.WaitForAsync(m => m.Activations.Any(c => c.WorkflowId == workflowId && c.Outcome == MqsCallOutcome.TryAgainLater), LifecycleHost.Deadline));
        var waiting = await host.WaitForWorkflowAsync(workflowId, w => w.ContainsKey("_mq_activation_retry_at_ts"), "a retry time");
        Assert.Null(waiting["mq_activated_ts"]);

        var abort = await host.User.AbortAsync(workflowId);
        var abortAnsweredAt = DateTimeOffset.UtcNow;
        var callsAtAbort = mqs.Activations.Count(c => c.WorkflowId == workflowId);
        Assert.Equal(200, abort.Status);
        AssertJson(new JsonObject { ["workflow_id"] = workflowId, ["n_taskforces"] = 2 }, abort.Body);

        var aborted = await host.User.WorkflowAsync(workflowId);
        Assert.Equal("ABORTED", Text(aborted["deactivated"]));
        Assert.NotNull(aborted["deactivated_ts"]);
        Assert.Null(aborted["mq_activated_ts"]);
        Assert.False(aborted.ContainsKey("_mq_activation_retry_at_ts"), $"no retry is pending any more: {aborted.ToJsonString()}");
        foreach (var uuid in uuids)
        {
            var taskforce = await host.User.TaskforceAsync(uuid);
            Assert.Equal(PendingStopper, PhaseOf(taskforce));
            AssertLog(taskforce, new(PreMqActivation, User), new(PendingStopper, User));
            Assert.Null(taskforce["cluster_id"]);
            Assert.False(((JsonObject)taskforce["pilot_config"]!["environment"]!).ContainsKey("EWMS_PILOT_QUEUE_INCOMING"));
        }
        // Nothing was submitted, so the TMS has nothing to stop (or start).
        Assert.Null(await host.Alpha.PollPendingStopperAsync());
        Assert.Null(await host.Beta.PollPendingStopperAsync());
        Assert.Null(await host.Alpha.PollPendingStarterAsync());

        // A workflow created afterwards is granted only after two retry waits: by then the activator has had
        // every chance to ask about the aborted one again.
        var later = await host.User.CreateWorkflowAsync(SimpleWorkflow(Alpha));
        Volatile.Write(ref laterWorkflowId, WorkflowId(later));
        Assert.True(await mqs.WaitForAsync(m => m.GrantedActivationOrder.Contains(WorkflowId(later)), LifecycleHost.Deadline),
            "the later workflow was never activated");
        var afterAbort = mqs.Activations.Where(c => c.WorkflowId == workflowId).ToList();
        Assert.Equal(callsAtAbort, afterAbort.Count);
        Assert.All(afterAbort, c => Assert.True(c.ReceivedAt <= abortAnsweredAt));
        Assert.DoesNotContain(workflowId, mqs.GrantedActivationOrder);
        Assert.Null((await host.User.WorkflowAsync(workflowId))["mq_activated_ts"]);
        foreach (var uuid in uuids)
        {
            Assert.Equal(PendingStopper, PhaseOf(await host.User.TaskforceAsync(uuid)));
        }
        Assert.Single(mqs.Reservations, c => c.WorkflowId == workflowId);
    }

    [Theory]
    [InlineData("abort", "ABORTED")]
    [InlineData("finished", "FINISHED")]
    public async Task DeactivationDuringHtcondorHandsTheSubmittedClusterToTheStopper(string action, string deactivated)
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var created = await host.CreateStartableAsync(SimpleWorkflow(Alpha, Beta));
        var workflowId = WorkflowId(created);
        var uuids = TaskforceUuids(created);
        var submittedUuid = Text((await host.Alpha.PollPendingStarterAsync())!["taskforce_uuid"]);
        var waitingUuid = uuids.Single(u => u != submittedUuid);
        var clusterId = await host.SubmitAsync(submittedUuid);

        // One taskforce is running in HTCondor, the other still waits for its TMS: both are moved.
        var answer = await host.User.DeactivateAsync(workflowId, action);
        Assert.Equal(200, answer.Status);
        AssertJson(new JsonObject { ["workflow_id"] = workflowId, ["n_taskforces"] = 2 }, answer.Body);
        Assert.Equal(deactivated, Text((await host.User.WorkflowAsync(workflowId))["deactivated"]));
        foreach (var uuid in uuids)
        {
            Assert.Equal(PendingStopper, PhaseOf(await host.User.TaskforceAsync(uuid)));
        }
        Assert.Null(await host.Beta.PollPendingStarterAsync());
        Assert.Null(await host.Beta.PollPendingStopperAsync());

        // The stopper is offered the submitted one, again and again until it confirms.
        var offered = await host.Alpha.PollPendingStopperAsync();
        Assert.Equal(submittedUuid, Text(offered!["taskforce_uuid"]));
        Assert.Equal(clusterId, offered["cluster_id"]!.GetValue<long>());
        AssertJson(offered, await host.Alpha.PollPendingStopperAsync());
        AssertJson(new JsonObject { ["taskforce_uuid"] = submittedUuid }, (await host.Alpha.RmAsync(submittedUuid)).Body);
        Assert.Equal(CondorRm, PhaseOf(await host.User.TaskforceAsync(submittedUuid)));
        Assert.Null(await host.Alpha.PollPendingStopperAsync());

        var completeTs = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await host.Alpha.CompleteAsync(submittedUuid, completeTs);
        var removed = await host.User.TaskforceAsync(submittedUuid);
        Assert.Equal(CondorComplete, PhaseOf(removed));
        AssertLog(removed,
        [
            .. UpToPendingStarter, new(CondorSubmit, Tms), new(PendingStopper, User), new(CondorRm, Tms), new(CondorComplete, Tms),
        ]);
        Assert.Equal((double)completeTs, Number(LogOf(removed)[^1]["source_event_time"]));
        var neverStarted = await host.User.TaskforceAsync(waitingUuid);
        Assert.Equal(PendingStopper, PhaseOf(neverStarted));
        AssertLog(neverStarted, [.. UpToPendingStarter, new(PendingStopper, User)]);

        (await host.User.DeactivateAsync(workflowId, action))
            .AssertError(404, $"no non-deactivated workflow found with workflow_id='{workflowId}'");
    }

    [Fact]
    public async Task AbortAfterCompletionOnlyRecordsTheRefusedStop()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var created = await host.CreateStartableAsync(SimpleWorkflow(Alpha, Beta));
        var workflowId = WorkflowId(created);
        var uuids = TaskforceUuids(created);
        var completeTs = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var completed = new Dictionary<string, JsonObject>();
        foreach (var uuid in uuids)
        {
            await host.SubmitAsync(uuid);
            var tms = host.TmsAt(Text((await host.User.TaskforceAsync(uuid))["schedd"]));
            await tms.CompleteAsync(uuid, completeTs);
            completed[uuid] = await host.User.TaskforceAsync(uuid);
            Assert.Equal(CondorComplete, PhaseOf(completed[uuid]));
        }

        var abort = await host.User.AbortAsync(workflowId);
        Assert.Equal(200, abort.Status);
        AssertJson(new JsonObject { ["workflow_id"] = workflowId, ["n_taskforces"] = 0 }, abort.Body);
        Assert.Equal("ABORTED", Text((await host.User.WorkflowAsync(workflowId))["deactivated"]));
        foreach (var uuid in uuids)
        {
            var taskforce = await host.User.TaskforceAsync(uuid);
            Assert.Equal(CondorComplete, PhaseOf(taskforce));
            AssertLog(taskforce, [.. UpToPendingStarter, new(CondorSubmit, Tms), new(CondorComplete, Tms), new(PendingStopper, User, false)]);
            AssertJson(ArrayOf(LogOf(completed[uuid])), ArrayOf(LogOf(taskforce).SkipLast(1)));
            var refused = LogOf(taskforce)[^1];
            Assert.Null(refused["source_event_time"]);
            Assert.True(Number(refused["timestamp"]) >= Number(LogOf(completed[uuid])[^1]["timestamp"]));
        }
        Assert.Null(await host.Alpha.PollPendingStopperAsync());
        Assert.Null(await host.Beta.PollPendingStopperAsync());
    }
}

public sealed class DeactivationTestsInMemory : DeactivationTests
{
    protected override StorageMode Mode => StorageMode.Memory;
}

public sealed class DeactivationTestsOnPostgres : DeactivationTests
{
    protected override StorageMode Mode => StorageMode.Postgres;
}
