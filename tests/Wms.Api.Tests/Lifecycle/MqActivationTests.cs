using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;
using Wms.Testing;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.Lifecycle;

public abstract class MqActivationTests
{
    protected abstract StorageMode Mode { get; }

    /// <summary>
    /// Three workflows are told to try again later; when their retries come due, the first retry to reach the MQS is
    /// held there while three new workflows arrive. Once it is answered, every workflow is activated, each asked
    /// exactly once after its try-again-later. The order in which the loop starts its calls is pinned by the
    /// grain-level MqActivationWindowTests: calls that run side by side may reach an HTTP MQS in any order.
    /// </summary>
    [Fact]
    public async Task RetriesAndNewArrivalsAreEachActivatedOnceAfterAHeldCall()
    {
        using var gate = new ManualResetEventSlim(false);
        await using var host = await LifecycleHost.StartAsync(Mode, s =>
        {
            s["WORKFLOW_MQ_ACTIVATOR_MQS_RETRY_WAIT"] = "2";
            s["MQS_REQUEST_TIMEOUT"] = "30";
        });
        var mqs = host.FakeMqs;
        var held = 0;
        string? gated = null;
        // After three try-again-laters, the first call to be decided waits at the gate; every later one is granted at
        // once. Retries run side by side, so the held one is whichever the policy took first, not the fourth recorded.
        mqs.ActivationPolicy = r =>
        {
            if (Interlocked.Exchange(ref held, 1) == 0)
            {
                Volatile.Write(ref gated, r.WorkflowId);
                gate.Wait(TimeSpan.FromSeconds(30));
            }
            return ActivationOutcome.Grant;
        };
        mqs.TryAgainLaterTimes(3);
        try
        {
            var workflows = new List<(string Id, int Priority)>();
            foreach (var priority in new[] { 5, 30, 60 })
            {
                var created = await CreateAsync(host, priority);
                workflows.Add((WorkflowId(created), priority));
                Assert.True(await mqs.WaitForAsync(m => m.Activations.Any(c => c.WorkflowId == WorkflowId(created)), LifecycleHost.Deadline));
            }
            foreach (var (id, _) in workflows)
            {
                var waiting = await host.WaitForWorkflowAsync(id, w => w.ContainsKey("_mq_activation_retry_at_ts"), "a retry time");
                Assert.Null(waiting["mq_activated_ts"]);
            }
            Assert.All(mqs.Activations.Take(3), c => Assert.Equal(MqsCallOutcome.TryAgainLater, c.Outcome));

            // A retry reaches the MQS and is held there.
            Assert.True(await mqs.WaitForAsync(_ => Volatile.Read(ref gated) is not null, LifecycleHost.Deadline), "no retry came");
            foreach (var priority in new[] { 50, 90, 50 })
            {
                var created = await CreateAsync(host, priority);
                workflows.Add((WorkflowId(created), priority));
            }

            Assert.DoesNotContain(gated!, mqs.GrantedActivationOrder);
            gate.Set();

            var all = workflows.Select(w => w.Id).Order().ToList();
            Assert.True(await mqs.WaitForAsync(m => m.GrantedActivationOrder.Count == all.Count, LifecycleHost.Deadline),
                $"granted so far: {string.Join(", ", mqs.GrantedActivationOrder)}");
            // Every workflow was asked about exactly once after the try-again-laters.
            Assert.Equal(all, mqs.Activations.Skip(3).Select(c => c.WorkflowId).Order());

            foreach (var (id, priority) in workflows)
            {
                var activated = await host.WaitForWorkflowAsync(id, w => w["mq_activated_ts"] is not null, "activated");
                Assert.False(activated.ContainsKey("_mq_activation_retry_at_ts"), activated.ToJsonString());
                Assert.Equal(priority, activated["priority"]!.GetValue<int>());
                Assert.All(mqs.Activations.Where(c => c.WorkflowId == id), c => AssertJson(
                    new JsonObject { ["criteria"] = new JsonObject { ["priority"] = priority } }, c.Body));
            }
            Assert.Equal(workflows.Count, mqs.Reservations.Count);
        }
        finally
        {
            gate.Set();
        }
    }

    [Fact]
    public async Task MqsErrorsDelayActivationButLoseNothing()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var mqs = host.FakeMqs;
        // Five errors: one whole activation attempt (three calls) fails, then the next gets through.
        mqs.ActivationPolicy = r => r.AttemptForWorkflow <= 5 ? ActivationOutcome.Error(500) : ActivationOutcome.Grant;

        var created = await host.User.CreateWorkflowAsync(SimpleWorkflow(Alpha, Beta));
        var workflowId = WorkflowId(created);
        var waiting = await host.WaitForWorkflowAsync(workflowId, w => w.ContainsKey("_mq_activation_retry_at_ts"), "a retry time");
        Assert.Null(waiting["mq_activated_ts"]);
        await host.WaitForPhaseAsync(TaskforceUuids(created), PendingStarter);

        var activated = await host.User.WorkflowAsync(workflowId);
        Assert.NotNull(activated["mq_activated_ts"]);
        Assert.False(activated.ContainsKey("_mq_activation_retry_at_ts"));
        var calls = mqs.Activations;
        Assert.Equal(6, calls.Count);
        Assert.All(calls.Take(5), c => Assert.Equal((MqsCallOutcome.Error, 500), (c.Outcome, c.StatusCode)));
        Assert.Equal(MqsCallOutcome.Granted, calls[5].Outcome);
        Assert.Equal([workflowId], mqs.GrantedActivationOrder);
        var reservation = Assert.Single(mqs.Reservations);
        Assert.Equal(MqsCallOutcome.Reserved, reservation.Outcome);
        await AssertQueuesInPilotEnvironmentAsync(host, created);
    }

    [Fact]
    public async Task AHangingMqsIsTimedOutAndActivationStillHappens()
    {
        await using var host = await LifecycleHost.StartAsync(Mode, s => s["MQS_REQUEST_TIMEOUT"] = "1");
        var mqs = host.FakeMqs;
        // Two calls hang well past the client's timeout (and would then activate nothing); the third is granted.
        mqs.ActivationPolicy = r => r.AttemptForWorkflow <= 2
            ? ActivationOutcome.Hang(TimeSpan.FromSeconds(10))
            : ActivationOutcome.Grant;

        var created = await host.User.CreateWorkflowAsync(SimpleWorkflow(Alpha, Beta));
        var workflowId = WorkflowId(created);
        await host.WaitForPhaseAsync(TaskforceUuids(created), PendingStarter);

        Assert.NotNull((await host.User.WorkflowAsync(workflowId))["mq_activated_ts"]);
        Assert.True(await mqs.WaitForAsync(m => m.Activations.Take(2).All(c => c.Outcome == MqsCallOutcome.Abandoned), LifecycleHost.Deadline),
            "the hanging calls were not given up");
        var calls = mqs.Activations;
        Assert.Equal(3, calls.Count);
        Assert.Equal(MqsCallOutcome.Granted, calls[2].Outcome);
        Assert.Equal([workflowId], mqs.GrantedActivationOrder);
        Assert.Equal(MqsCallOutcome.Reserved, Assert.Single(mqs.Reservations).Outcome);
        await AssertQueuesInPilotEnvironmentAsync(host, created);
    }

    private static Task<JsonObject> CreateAsync(LifecycleHost host, int priority) =>
        host.User.CreateWorkflowAsync(Workflow([Task([Alpha], ["in"], ["out"])], priority: priority));

    private static async Task AssertQueuesInPilotEnvironmentAsync(LifecycleHost host, JsonObject created)
    {
        var profile = host.FakeMqs.ProfilesOf(WorkflowId(created)).Single(p => p.Alias == "in");
        foreach (var uuid in TaskforceUuids(created))
        {
            var environment = (await host.User.TaskforceAsync(uuid))["pilot_config"]!["environment"]!;
            AssertJson(Strings([profile.Mqid]), environment["EWMS_PILOT_QUEUE_INCOMING"]);
            AssertJson(Strings([profile.AuthToken!]), environment["EWMS_PILOT_QUEUE_INCOMING_AUTH_TOKEN"]);
        }
    }
}

public sealed class MqActivationTestsInMemory : MqActivationTests
{
    protected override StorageMode Mode => StorageMode.Memory;
}

public sealed class MqActivationTestsOnPostgres : MqActivationTests
{
    protected override StorageMode Mode => StorageMode.Postgres;
}
