using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;
using Wms.Api.Tests.Lifecycle;
using Wms.Testing;
using static Wms.Api.Tests.Explain.Explained;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.Explain;

/// <summary>
/// "Why isn't it running?" through HTTP, against the running service with the fake MQS and the simulated TMS: each
/// waiting reason is brought about the way it happens in life, and its explanation is checked for its reason, its
/// evidence and when its state began.
/// </summary>
public abstract class ExplainLifecycleTests
{
    protected abstract StorageMode Mode { get; }

    [Fact]
    public async Task AnMqsThatSaysTryAgainLaterAndThenFailsIsExplainedAttemptByAttempt()
    {
        using var tryAgainAnswered = new ManualResetEventSlim(false);
        using var failureAnswered = new ManualResetEventSlim(false);
        await using var host = await LifecycleHost.StartAsync(Mode, s => s["MQS_REQUEST_TIMEOUT"] = "30");
        var mqs = host.FakeMqs;
        // The first call is told to try again later; the second is held, then refused; the third is held, then granted.
        mqs.ActivationPolicy = r => r.AttemptForWorkflow switch
        {
            1 => ActivationOutcome.TryAgainLater(),
            2 => Held(tryAgainAnswered, ActivationOutcome.Error(400)),
            _ => Held(failureAnswered, ActivationOutcome.Grant),
        };
        try
        {
            var created = await host.User.CreateWorkflowAsync(SimpleWorkflow(Alpha));
            var workflowId = WorkflowId(created);
            var uuid = TaskforceUuids(created).Single();
            var submitted = Number(created["workflow"]!["timestamp"]);

            // The retry is held at the MQS: the explanation, which does not wait for it, shows the try-again-later.
            Assert.True(await mqs.WaitForAsync(m => m.Activations.Count >= 2, LifecycleHost.Deadline), "no retry came");
            var later = await TaskforceAsync(host.User, uuid);
            Assert.Equal("mq-activation-pending", Reason(later));
            var workflow = await host.User.WorkflowAsync(workflowId);
            var evidence = Evidence(later);
            Assert.Equal((0, true, null), (evidence["activation_failures"]!.GetValue<int>(),
                evidence["try_again_later"]!.GetValue<bool>(), evidence["last_error"]?.GetValue<string>()));
            Assert.InRange(Number(evidence["last_attempt_ts"]), submitted, Epoch(mqs.Activations[0].ReceivedAt));
            Assert.Equal(Number(workflow["_mq_activation_retry_at_ts"]), Number(evidence["next_try_ts"]));
            Assert.Equal(submitted, Since(later));
            Assert.Contains("the MQS said to try again later", Text(later["message"]), StringComparison.Ordinal);
            Assert.Null(later["action"]);

            // The retry is refused; the next attempt is held in turn.
            tryAgainAnswered.Set();
            Assert.True(await mqs.WaitForAsync(m => m.Activations.Count >= 3, LifecycleHost.Deadline), "no third attempt came");
            var failed = await TaskforceAsync(host.User, uuid);
            Assert.Equal("mq-activation-pending", Reason(failed));
            workflow = await host.User.WorkflowAsync(workflowId);
            evidence = Evidence(failed);
            Assert.Equal((1, false), (evidence["activation_failures"]!.GetValue<int>(), evidence["try_again_later"]!.GetValue<bool>()));
            Assert.Contains("the MQS answered 400", Text(evidence["last_error"]), StringComparison.Ordinal);
            // The refused attempt began after the first was answered and before its call arrived.
            Assert.InRange(Number(evidence["last_attempt_ts"]), Epoch(mqs.Activations[0].ReceivedAt),
                Epoch(mqs.Activations[1].ReceivedAt));
            Assert.Equal(Number(workflow["_mq_activation_retry_at_ts"]), Number(evidence["next_try_ts"]));
            Assert.Equal(submitted, Since(failed));
            Assert.Contains("1 attempt in a row failed", Text(failed["message"]), StringComparison.Ordinal);
            Assert.NotNull(failed["action"]);

            // Granted at last: the taskforce waits for activation no more.
            failureAnswered.Set();
            await host.WaitForPhaseAsync(uuid, PendingStarter);
            Assert.NotEqual("mq-activation-pending", Reason(await TaskforceAsync(host.User, uuid)));
        }
        finally
        {
            tryAgainAnswered.Set();
            failureAnswered.Set();
        }
    }

    [Fact]
    public async Task APacedLaunchQueueGivesEachTaskforceItsPlaceAndAnEstimate()
    {
        // One taskforce a minute, and no reminder within the test to hurry the loop along.
        await using var host = await LifecycleHost.StartAsync(Mode, s =>
        {
            s["TASKFORCE_LAUNCH_CONTROL_DELAY"] = "60";
            s["WMS_LOOP_REMINDER_PERIOD"] = "300";
        });
        var created = await host.User.CreateWorkflowAsync(Workflow(
        [
            Task([Alpha, Beta], ["a-in"], ["a-out"], workerPriority: 30),
            Task([Alpha, Beta], ["b-in"], ["b-out"], workerPriority: 20),
            Task([Alpha, Beta], ["c-in"], ["c-out"], workerPriority: 10),
        ]));
        var uuids = TaskforceUuids(created);
        // The first is released at once; the five others wait their turn.
        var reached = await Poll.UntilAsync(async () =>
        {
            var phases = await System.Threading.Tasks.Task.WhenAll(uuids.Select(async u => PhaseOf(await host.User.TaskforceAsync(u))));
            return phases.Count(p => p == PendingStarter) == 1 && phases.Count(p => p == PreLaunch) == 5;
        }, LifecycleHost.Deadline);
        Assert.True(reached, "launch control did not release exactly one taskforce");

        var answer = await WorkflowAsync(host.User, WorkflowId(created));
        var generatedAt = Number(answer["generated_at"]);
        var queued = answer["taskforces"]!.AsArray().Select(t => (JsonObject)t!)
            .Where(t => Reason(t) == "launch-queue").ToList();
        Assert.Equal(5, queued.Count);
        var byPriority = new Dictionary<string, long>();
        foreach (var explanation in queued)
        {
            var uuid = Text(explanation["taskforce_uuid"]);
            var taskforce = await host.User.TaskforceAsync(uuid);
            byPriority[uuid] = taskforce["worker_config"]!["priority"]!.GetValue<long>();
            var evidence = Evidence(explanation);
            var position = evidence["position"]!.GetValue<int>();
            Assert.Equal(5, evidence["queue_length"]!.GetValue<int>());
            Assert.Equal(60, Number(evidence["launch_delay_seconds"]));
            Assert.Equal(generatedAt + position * 60, Number(evidence["estimated_start_ts"]), 6);
            Assert.Equal(EnteredTs(taskforce, PreLaunch), Since(explanation));
            Assert.Contains($"position {position} of 5", Text(explanation["message"]), StringComparison.Ordinal);
        }
        // Positions 1 to 5, in launch order: the highest worker priority first.
        var ordered = queued.OrderBy(e => Evidence(e)["position"]!.GetValue<int>()).ToList();
        Assert.Equal([1, 2, 3, 4, 5], ordered.Select(e => Evidence(e)["position"]!.GetValue<int>()));
        var priorities = ordered.Select(e => byPriority[Text(e["taskforce_uuid"])]).ToList();
        Assert.Equal(priorities.OrderDescending(), priorities);
        Assert.Equal([30L, 20L, 20L, 10L, 10L], priorities);
        Assert.Contains("5 in the launch queue", Text(answer["summary"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATmsThatPollsIsWaitedForAndOneThatStoppedPollingLooksDown()
    {
        // A TMS looks down after 2 silent seconds here (5 minutes by default).
        await using var host = await LifecycleHost.StartAsync(Mode, s =>
        {
            s["WMS_EXPLAIN_TMS_SILENT_AFTER"] = "2";
            s["WMS_EXPLAIN_POLL_FLUSH_INTERVAL"] = "0.5";
        });
        var created = await host.CreateStartableAsync(SimpleWorkflow(Alpha, Beta));
        var taskforces = await System.Threading.Tasks.Task.WhenAll(TaskforceUuids(created).Select(u => host.User.TaskforceAsync(u)));
        var alpha = taskforces.Single(t => Text(t["schedd"]) == WmsServer.AlphaSchedd);
        var beta = taskforces.Single(t => Text(t["schedd"]) == WmsServer.BetaSchedd);
        var alphaUuid = Text(alpha["taskforce_uuid"]);
        var betaUuid = Text(beta["taskforce_uuid"]);

        // Beta's TMS polls once, and is offered its taskforce, but never takes it nor polls again.
        var betaBefore = Now();
        Assert.NotNull(await host.Beta.PollPendingStarterAsync());
        var betaAfter = Now();

        // Alpha's TMS keeps polling (and is offered its taskforce each time, which it leaves) while beta's falls silent.
        JsonObject? betaExplained = null;
        var (alphaBefore, alphaAfter) = (0.0, 0.0);
        var silent = await Poll.UntilAsync(async () =>
        {
            alphaBefore = Now();
            await host.Alpha.PollPendingStarterAsync();
            alphaAfter = Now();
            betaExplained = await TaskforceAsync(host.User, betaUuid);
            return Reason(betaExplained) == "tms-not-polling";
        }, LifecycleHost.Deadline, TimeSpan.FromMilliseconds(200));
        Assert.True(silent, $"beta's TMS never looked down: {betaExplained?.ToJsonString()}");

        var down = Evidence(betaExplained!);
        Assert.Equal(WmsServer.BetaSchedd, Text(down["schedd"]));
        Assert.Equal(PendingStarter, Text(down["kind"]));
        Assert.InRange(Number(down["last_poll_ts"]), betaBefore, betaAfter);
        Assert.Equal(2, Number(down["threshold_seconds"]));
        Assert.True(down["seconds_since_poll"]!.GetValue<long>() >= 2, down.ToJsonString());
        // It was offered before it was polled for: silent since that poll.
        Assert.True(EnteredTs(beta, PendingStarter) <= Number(down["last_poll_ts"]));
        Assert.Equal(Number(down["last_poll_ts"]), Since(betaExplained!));
        Assert.Contains("it looks down", Text(betaExplained!["message"]), StringComparison.Ordinal);
        Assert.Contains(WmsServer.BetaSchedd, Text(betaExplained["action"]), StringComparison.Ordinal);

        var waiting = await TaskforceAsync(host.User, alphaUuid);
        Assert.Equal("waiting-for-tms", Reason(waiting));
        var heard = Evidence(waiting);
        Assert.Equal(WmsServer.AlphaSchedd, Text(heard["schedd"]));
        Assert.InRange(Number(heard["last_poll_ts"]), alphaBefore, alphaAfter);
        Assert.Equal(0, heard["submit_failures"]!.GetValue<int>());
        Assert.Equal(EnteredTs(alpha, PendingStarter), Since(waiting));
        Assert.Null(waiting["action"]);
    }

    [Fact]
    public async Task SubmitFailuresPastTheRetryLimitAreExplainedWithTheirErrors()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var created = await host.CreateStartableAsync(SimpleWorkflow(Beta));
        var uuid = TaskforceUuids(created).Single();
        string[] errors = ["schedd unreachable", "SCHEDD:2:Failed to connect to <10.0.0.1:9618>", "no such image"];
        foreach (var error in errors)
        {
            Assert.NotNull(await host.Beta.PollPendingStarterAsync());
            await host.Beta.FailSubmitAsync(uuid, error);
            if (error != errors[^1])
            {
                Assert.Equal("waiting-for-tms", Reason(await TaskforceAsync(host.User, uuid)));
            }
        }
        Assert.Null(await host.Beta.PollPendingStarterAsync());

        var explanation = await TaskforceAsync(host.User, uuid);
        Assert.Equal("submit-retry-limit", Reason(explanation));
        var failures = LogOf(await host.User.TaskforceAsync(uuid)).Where(e => !e["was_successful"]!.GetValue<bool>()).ToList();
        var evidence = Evidence(explanation);
        Assert.Equal((3, 2), (evidence["submit_failures"]!.GetValue<int>(), evidence["limit"]!.GetValue<int>()));
        AssertJson(new JsonArray([.. failures.AsEnumerable().Reverse().Zip(errors.Reverse(), (entry, error) =>
            (JsonNode)new JsonObject { ["timestamp"] = Number(entry["timestamp"]), ["error"] = error })]), evidence["errors"]);
        // It stopped being offered with the third failure.
        Assert.Equal(Number(failures[2]["timestamp"]), Since(explanation));
        Assert.Contains("no longer offered", Text(explanation["message"]), StringComparison.Ordinal);
        Assert.Contains("add-workers", Text(explanation["action"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeldWorkersAreExplainedWithTheTopErrorsSinceTheReportThatShowedThemHeld()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var created = await host.CreateStartableAsync(SimpleWorkflow(Alpha));
        var uuid = TaskforceUuids(created).Single();
        var clusterId = await host.SubmitAsync(uuid);
        Assert.Equal("submitted-no-report", Reason(await TaskforceAsync(host.User, uuid)));

        await host.Alpha.SendStatusesAsync(
            new Dictionary<string, Dictionary<string, Dictionary<string, int>>>
            {
                [uuid] = new() { ["RUNNING"] = new() { ["Tasking"] = 3 } },
            }, null);
        var running = await WaitForReasonAsync(host.User, uuid, "running");
        Assert.Equal(3, Evidence(running)["running"]!.GetValue<long>());

        var errors = new Dictionary<string, int>
        {
            ["HELD: Memory usage exceeds a memory limit"] = 4,
            ["pilot: container exited with code 137 (killed: OOM?)"] = 2,
        };
        await host.Alpha.SendStatusesAsync(
            new Dictionary<string, Dictionary<string, Dictionary<string, int>>>
            {
                [uuid] = new() { ["RUNNING"] = new() { ["Tasking"] = 1 }, ["HELD"] = new() { ["null"] = 4 } },
            },
            new Dictionary<string, Dictionary<string, int>> { [uuid] = errors });
        // The history is written a moment after the report in PostgreSQL mode; when its entry is there, it dates the state.
        var history = await WaitForHistoryAsync(host, uuid, 2);
        var heldSince = Number(history[1]!["timestamp"]);

        var held = await WaitForReasonAsync(host.User, uuid, "workers-held", e => Since(e) == heldSince);
        var evidence = Evidence(held);
        Assert.Equal(clusterId, evidence["cluster_id"]!.GetValue<long>());
        Assert.Equal((4L, 1L, 0L), (evidence["held"]!.GetValue<long>(), evidence["running"]!.GetValue<long>(),
            evidence["idle"]!.GetValue<long>()));
        AssertJson(new JsonObject
        {
            ["HELD: Memory usage exceeds a memory limit"] = 4,
            ["pilot: container exited with code 137 (killed: OOM?)"] = 2,
        }, evidence["top_task_errors"]);
        Assert.Equal(heldSince, Number(evidence["last_report_ts"]));
        Assert.Contains("\"HELD: Memory usage exceeds a memory limit\" (4)", Text(held["message"]), StringComparison.Ordinal);
        Assert.Contains("worker_config", Text(held["action"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStoppedTaskforceAwaitsRemovalThenIsRemovedThenFinishes()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var created = await host.CreateStartableAsync(SimpleWorkflow(Alpha));
        var uuid = TaskforceUuids(created).Single();
        var clusterId = await host.SubmitAsync(uuid);
        await host.User.AbortAsync(WorkflowId(created));

        // The TMS asks what to stop (and is offered this one) but has not removed it yet.
        var before = Now();
        Assert.NotNull(await host.Alpha.PollPendingStopperAsync());
        var after = Now();
        var pending = await TaskforceAsync(host.User, uuid);
        Assert.Equal("removal-pending", Reason(pending));
        var evidence = Evidence(pending);
        Assert.Equal((WmsServer.AlphaSchedd, clusterId), (Text(evidence["schedd"]), evidence["cluster_id"]!.GetValue<long>()));
        Assert.InRange(Number(evidence["last_poll_ts"]), before, after);
        Assert.Equal(EnteredTs(await host.User.TaskforceAsync(uuid), PendingStopper), Since(pending));

        await host.Alpha.RmAsync(uuid);
        var removed = await TaskforceAsync(host.User, uuid);
        Assert.Equal("removed", Reason(removed));
        Assert.Equal(EnteredTs(await host.User.TaskforceAsync(uuid), CondorRm), Since(removed));

        await host.Alpha.CompleteAsync(uuid, 1_700_000_000);
        var finished = await TaskforceAsync(host.User, uuid);
        Assert.Equal("finished", Reason(finished));
        Assert.Equal(1_700_000_000, Number(Evidence(finished)["condor_complete_ts"]));
        Assert.Equal(clusterId, Evidence(finished)["cluster_id"]!.GetValue<long>());
        Assert.Equal(EnteredTs(await host.User.TaskforceAsync(uuid), CondorComplete), Since(finished));
        Assert.Null(finished["action"]);
    }

    [Fact]
    public async Task TaskforcesStoppedBeforeSubmissionSaySoAndWhereTheyStopped()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var offered = await host.CreateStartableAsync(SimpleWorkflow(Alpha));
        // This one's queues are never activated: the MQS says to try again later, each time.
        host.FakeMqs.ActivationPolicy = _ => ActivationOutcome.TryAgainLater();
        var waiting = await host.User.CreateWorkflowAsync(SimpleWorkflow(Beta));
        await host.WaitForWorkflowAsync(WorkflowId(waiting), w => w.ContainsKey("_mq_activation_retry_at_ts"), "a retry time");

        foreach (var (created, stoppedIn) in new[] { (offered, PendingStarter), (waiting, PreMqActivation) })
        {
            await host.User.AbortAsync(WorkflowId(created));
            var uuid = TaskforceUuids(created).Single();
            var taskforce = await host.WaitForPhaseAsync(uuid, PendingStopper);
            var workflow = await host.User.WorkflowAsync(WorkflowId(created));

            var explanation = await TaskforceAsync(host.User, uuid);
            Assert.Equal("stopped-before-submit", Reason(explanation));
            AssertJson(new JsonObject
            {
                ["deactivated"] = "ABORTED",
                ["deactivated_ts"] = Number(workflow["deactivated_ts"]),
                ["stopped_in_phase"] = stoppedIn,
            }, Evidence(explanation));
            Assert.Equal(EnteredTs(taskforce, PendingStopper), Since(explanation));
            Assert.Contains("it will not run", Text(explanation["message"]), StringComparison.Ordinal);
            Assert.Null(explanation["action"]);
        }
    }

    [Fact]
    public async Task BothRoutesAndBothGenerationsAnswerTheSameAndUnknownIdsAreNotFound()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var created = await host.CreateStartableAsync(SimpleWorkflow(Alpha, Beta));
        var workflowId = WorkflowId(created);
        var uuids = TaskforceUuids(created);
        await host.SubmitAsync(uuids[0]);
        await host.User.AbortAsync(workflowId);
        await host.WaitForPhaseAsync(uuids, PendingStopper);
        await host.Alpha.RunStopperCycleAsync();
        await host.Beta.RunStopperCycleAsync();

        var v0 = await WorkflowAsync(host.User, workflowId);
        var v1 = await WorkflowAsync(host.User, workflowId, "v1");
        Assert.True(Number(v1["generated_at"]) >= Number(v0["generated_at"]));
        v0.Remove("generated_at");
        v1.Remove("generated_at");
        AssertJson(v0, v1);
        Assert.StartsWith("Aborted at ", Text(v0["summary"]), StringComparison.Ordinal);
        Assert.Contains("with 2 taskforces:", Text(v0["summary"]), StringComparison.Ordinal);

        // The workflow's answer holds each taskforce's own, oldest first, the same through either generation.
        var listed = v0["taskforces"]!.AsArray();
        Assert.Equal(uuids.Order(StringComparer.Ordinal), listed.Select(t => Text(t!["taskforce_uuid"])).Order(StringComparer.Ordinal));
        foreach (var entry in listed)
        {
            var uuid = Text(entry!["taskforce_uuid"]);
            var own = await TaskforceAsync(host.User, uuid);
            AssertJson(entry, own);
            AssertJson(own, await TaskforceAsync(host.User, uuid, "v1"));
            Assert.Equal(workflowId, Text(own["workflow_id"]));
            Assert.Equal(PhaseOf(await host.User.TaskforceAsync(uuid)), Text(own["phase"]));
        }
        Assert.Equal(["removed", "stopped-before-submit"], listed.Select(t => Reason((JsonObject)t!)).Order());

        var unknownWorkflow = workflowId[..^8] + "00000000";
        var unknownTaskforce = uuids[0][..^8] + "00000000";
        foreach (var generation in new[] { "v0", "v1" })
        {
            foreach (var id in new[] { unknownWorkflow, "not-a-workflow", uuids[0] })
            {
                (await host.User.GetAsync($"{generation}/workflows/{id}/explain"))
                    .AssertError(404, $"no workflow found with id: {id}");
            }
            foreach (var id in new[] { unknownTaskforce, "not-a-taskforce", workflowId })
            {
                (await host.User.GetAsync($"{generation}/taskforces/{id}/explain"))
                    .AssertError(404, $"no taskforce found with uuid: {id}");
            }
        }
    }

    private static double Epoch(DateTimeOffset at) =>
        (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;

    private static ActivationOutcome Held(ManualResetEventSlim gate, ActivationOutcome then)
    {
        gate.Wait(TimeSpan.FromSeconds(30));
        return then;
    }

    private static async Task<JsonArray> WaitForHistoryAsync(LifecycleHost host, string uuid, int entries)
    {
        JsonArray? history = null;
        var reached = await Poll.UntilAsync(async () =>
        {
            history = (await host.User.GetAsync($"v0/taskforces/{uuid}/status-history")).Object["history"]!.AsArray();
            return history.Count >= entries;
        }, LifecycleHost.Deadline);
        Assert.True(reached, $"the history of {uuid} never reached {entries} entries: {history?.ToJsonString()}");
        return history!;
    }
}

public sealed class ExplainLifecycleTestsInMemory : ExplainLifecycleTests
{
    protected override StorageMode Mode => StorageMode.Memory;
}

public sealed class ExplainLifecycleTestsOnPostgres : ExplainLifecycleTests
{
    protected override StorageMode Mode => StorageMode.Postgres;
}
