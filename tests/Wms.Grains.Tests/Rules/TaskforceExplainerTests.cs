using System.Text.Json.Nodes;
using Wms.Domain.Explain;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Domain.Rules;
using Wms.Grains.Tests.Support;

namespace Wms.Grains.Tests.Rules;

/// <summary>
/// Every reason the rules give, from documents and facts made by hand: its code, its message with UTC times and
/// numbers, when its state began, its evidence and its action. No cluster: the rules are a pure function.
/// </summary>
public sealed class TaskforceExplainerTests
{
    /// <summary>2026-12-07T10:00:00Z.</summary>
    private const double T0 = 1_796_637_600;

    private static readonly ExplainSettings Settings = new(2, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(2));

    private static readonly WorkflowDocument Submitted = new()
    {
        WorkflowId = "WF-6b161af4-47cecad2",
        Timestamp = T0 - 3600,
        Priority = 10,
    };

    private static readonly WorkflowDocument Activated = Submitted with { MqActivatedTs = T0 - 3000 };

    private static readonly WorkflowDocument Aborted = Activated with
    {
        Deactivated = Deactivation.Aborted,
        DeactivatedTs = T0 - 600,
    };

    /// <summary>One log entry: target phase, offset from <see cref="T0"/> in seconds, success, description.</summary>
    private sealed record Step(string Target, double At, bool Ok = true, string Description = "", double? EventTime = null);

    private static TaskforceDocument Taskforce(string phase, long? clusterId = null, params Step[] steps) =>
        Build.Taskforce(phase, Build.Alpha, timestamp: T0 - 3600, clusterId: clusterId) with
        {
            PhaseChangeLog =
            [
                PhaseLog.Entry(Phase.PreMqActivation, T0 - 3600, true, SourceEntity.User, PhaseLog.CreationDescription),
                .. steps.Select(s => PhaseLog.Entry(s.Target, T0 + s.At, s.Ok, SourceEntity.Tms, s.Description, s.EventTime)),
            ],
        };

    private static readonly Step[] Queued = [new(Phase.PreLaunch, -3000)];

    private static readonly Step[] Offered = [.. Queued, new(Phase.PendingStarter, -1200)];

    private static readonly Step[] SubmittedSteps = [.. Offered, new(Phase.CondorSubmit, -900)];

    private static Explanation Explain(
        TaskforceDocument tf, WorkflowDocument? wf = null, double now = T0, ExplainSettings? settings = null,
        ActivationAttempts? activation = null, int? position = null, int queueLength = 0, double? starterPoll = null,
        double? stopperPoll = null, IReadOnlyList<StatusHistoryEntry>? history = null) =>
        TaskforceExplainer.Explain(new TaskforceFacts
        {
            Taskforce = tf,
            Workflow = wf ?? Activated,
            Activation = activation ?? ActivationAttempts.None,
            LaunchPosition = position,
            LaunchQueueLength = queueLength,
            LastStarterPollTs = starterPoll,
            LastStopperPollTs = stopperPoll,
            StatusHistory = history ?? [],
        }, settings ?? Settings, now);

    private static void AssertEvidence(JsonObject expected, Explanation explanation) =>
        Assert.True(JsonNode.DeepEquals(expected, explanation.Evidence),
            $"evidence of {explanation.Reason}:\n expected {expected.ToJsonString()}\n actual   {explanation.Evidence.ToJsonString()}");

    private static Dictionary<string, IReadOnlyDictionary<string, long>> Statuses(
        long running = 0, long idle = 0, long held = 0, long completed = 0)
    {
        var statuses = new Dictionary<string, IReadOnlyDictionary<string, long>>();
        void Add(string status, long n)
        {
            if (n > 0)
            {
                statuses[status] = new Dictionary<string, long> { ["Tasking"] = n - n / 2, ["null"] = n / 2 };
            }
        }
        Add("RUNNING", running);
        Add("IDLE", idle);
        Add("HELD", held);
        Add("COMPLETED", completed);
        return statuses;
    }

    private static StatusHistoryEntry Report(double at, long running = 0, long idle = 0, long held = 0) =>
        new(T0 + at, Statuses(running, idle, held), new Dictionary<string, long>());

    // ---- before the TMS ----

    [Fact]
    public void QueuesNotYetAskedFor()
    {
        var e = Explain(Taskforce(Phase.PreMqActivation), Submitted);

        Assert.Equal(ExplainReason.MqActivationPending, e.Reason);
        Assert.Equal("Waiting since 2026-12-07T09:00:00Z for the MQS to activate the workflow's queues; the WMS has not asked it yet.",
            e.Message);
        Assert.Equal(T0 - 3600, e.Since);
        AssertEvidence(new JsonObject
        {
            ["activation_failures"] = 0,
            ["last_attempt_ts"] = null,
            ["last_error"] = null,
            ["try_again_later"] = false,
            ["next_try_ts"] = null,
        }, e);
        Assert.Null(e.Action);
    }

    [Fact]
    public void TheMqsSaidTryAgainLater()
    {
        var e = Explain(Taskforce(Phase.PreMqActivation), Submitted with { MqActivationRetryAtTs = T0 + 60 },
            activation: new ActivationAttempts(0, T0 - 5, null, true));

        Assert.Equal(ExplainReason.MqActivationPending, e.Reason);
        Assert.Equal("Waiting since 2026-12-07T09:00:00Z for the MQS to activate the workflow's queues: at "
            + "2026-12-07T09:59:55Z the MQS said to try again later; the WMS asks again at 2026-12-07T10:01:00Z.", e.Message);
        AssertEvidence(new JsonObject
        {
            ["activation_failures"] = 0,
            ["last_attempt_ts"] = T0 - 5,
            ["last_error"] = null,
            ["try_again_later"] = true,
            ["next_try_ts"] = T0 + 60,
        }, e);
        Assert.Null(e.Action);
    }

    [Fact]
    public void TheMqsFailedActivations()
    {
        var e = Explain(Taskforce(Phase.PreMqActivation), Submitted with { MqActivationRetryAtTs = T0 + 8 },
            activation: new ActivationAttempts(3, T0 - 2, "the MQS answered 500", false));

        Assert.Equal(ExplainReason.MqActivationPending, e.Reason);
        Assert.Equal("Waiting since 2026-12-07T09:00:00Z for the MQS to activate the workflow's queues: 3 attempts in a "
            + "row failed, the last at 2026-12-07T09:59:58Z (the MQS answered 500); the WMS asks again at 2026-12-07T10:00:08Z.",
            e.Message);
        Assert.Equal(3, e.Evidence["activation_failures"]!.GetValue<int>());
        Assert.Equal("the MQS answered 500", e.Evidence["last_error"]!.GetValue<string>());
        Assert.Equal(T0 + 8, e.Evidence["next_try_ts"]!.GetValue<double>());
        Assert.Contains("tell the operators", e.Action, StringComparison.Ordinal);
    }

    [Fact]
    public void InTheLaunchQueueAtAPace()
    {
        var e = Explain(Taskforce(Phase.PreLaunch, null, Queued), position: 3, queueLength: 7);

        Assert.Equal(ExplainReason.LaunchQueue, e.Reason);
        Assert.Equal("In the launch queue since 2026-12-07T09:10:00Z: position 3 of 7. Launch control releases one "
            + "taskforce to the TMS every 2 seconds, so this one should be released by about 2026-12-07T10:00:06Z.", e.Message);
        Assert.Equal(T0 - 3000, e.Since);
        AssertEvidence(new JsonObject
        {
            ["position"] = 3,
            ["queue_length"] = 7,
            ["launch_delay_seconds"] = 2.0,
            ["estimated_start_ts"] = T0 + 6,
        }, e);
        Assert.Null(e.Action);
    }

    [Fact]
    public void InTheLaunchQueueUnpacedOrAlreadyLeavingIt()
    {
        var unpaced = Explain(Taskforce(Phase.PreLaunch, null, Queued), position: 1, queueLength: 1,
            settings: Settings with { LaunchDelay = TimeSpan.Zero });
        Assert.Equal(ExplainReason.LaunchQueue, unpaced.Reason);
        Assert.EndsWith("position 1 of 1. Launch control releases taskforces without pause, so this one should be released within moments.",
            unpaced.Message, StringComparison.Ordinal);
        Assert.Null(unpaced.Evidence["estimated_start_ts"]);

        var leaving = Explain(Taskforce(Phase.PreLaunch, null, Queued), position: null, queueLength: 4);
        Assert.Equal("In the launch queue since 2026-12-07T09:10:00Z; launch control is releasing it to the TMS now.",
            leaving.Message);
        Assert.Null(leaving.Evidence["position"]);
        Assert.Equal(4, leaving.Evidence["queue_length"]!.GetValue<int>());
    }

    // ---- at the TMS ----

    [Fact]
    public void OfferedToATmsThatPolls()
    {
        var e = Explain(Taskforce(Phase.PendingStarter, null, Offered), starterPoll: T0 - 42);

        Assert.Equal(ExplainReason.WaitingForTms, e.Reason);
        Assert.Equal("Offered to the TMS at SCHEDD1 since 2026-12-07T09:40:00Z; that TMS last asked for work at "
            + "2026-12-07T09:59:18Z (42 seconds ago), so it should take this taskforce with one of its next polls.", e.Message);
        Assert.Equal(T0 - 1200, e.Since);
        AssertEvidence(new JsonObject
        {
            ["schedd"] = "SCHEDD1",
            ["last_poll_ts"] = T0 - 42,
            ["seconds_since_poll"] = 42,
            ["submit_failures"] = 0,
            ["last_submit_errors"] = new JsonArray(),
        }, e);
        Assert.Null(e.Action);
    }

    [Fact]
    public void OfferedAfterFailedSubmitsBelowTheLimit()
    {
        var tf = Taskforce(Phase.PendingStarter, null,
            [.. Offered, new(Phase.CondorSubmit, -600, false, "ERROR: schedd busy"),
                new(Phase.CondorSubmit, -300, false, "ERROR: no such image (by tms-sub-2)")]);

        var e = Explain(tf, starterPoll: T0 - 10);

        Assert.Equal(ExplainReason.WaitingForTms, e.Reason);
        Assert.EndsWith(" Its HTCondor submission failed 2 times so far, the last at 2026-12-07T09:55:00Z (no such "
            + "image (by tms-sub-2)); after 3 failures it is no longer offered.", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, e.Evidence["submit_failures"]!.GetValue<int>());
        Assert.True(JsonNode.DeepEquals(new JsonArray(
            new JsonObject { ["timestamp"] = T0 - 300, ["error"] = "no such image (by tms-sub-2)" },
            new JsonObject { ["timestamp"] = T0 - 600, ["error"] = "schedd busy" }), e.Evidence["last_submit_errors"]));
    }

    [Fact]
    public void OfferedToATmsThatStoppedPolling()
    {
        // Offered at 10:00:00; the TMS last polled at 09:41:12, before the offer; now is 10:00:12.
        var tf = Taskforce(Phase.PendingStarter, null, [.. Queued, new(Phase.PendingStarter, 0)]);

        var e = Explain(tf, now: T0 + 12, starterPoll: T0 - 1128);

        Assert.Equal(ExplainReason.TmsNotPolling, e.Reason);
        Assert.Equal("Offered to the TMS at SCHEDD1 since 2026-12-07T10:00:00Z, but that TMS has not asked for work since "
            + "2026-12-07T09:41:12Z (19 minutes): it looks down.", e.Message);
        // The wait began when it was offered, after the last poll.
        Assert.Equal(T0, e.Since);
        AssertEvidence(new JsonObject
        {
            ["schedd"] = "SCHEDD1",
            ["kind"] = "pending-starter",
            ["last_poll_ts"] = T0 - 1128,
            ["seconds_since_poll"] = 1140,
            ["threshold_seconds"] = 300.0,
            ["submit_failures"] = 0,
        }, e);
        Assert.Equal("Ask the operators of SCHEDD1 whether its TMS is running.", e.Action);
    }

    [Fact]
    public void ATmsThatFellSilentAfterTheOfferIsSilentSinceItsLastPoll()
    {
        var e = Explain(Taskforce(Phase.PendingStarter, null, Offered), now: T0, starterPoll: T0 - 301);

        Assert.Equal(ExplainReason.TmsNotPolling, e.Reason);
        Assert.Equal(T0 - 301, e.Since);
        Assert.Contains("has not asked for work since 2026-12-07T09:54:59Z (5 minutes): it looks down.", e.Message,
            StringComparison.Ordinal);
        // Within the threshold it is only waiting.
        Assert.Equal(ExplainReason.WaitingForTms,
            Explain(Taskforce(Phase.PendingStarter, null, Offered), now: T0, starterPoll: T0 - 299).Reason);
    }

    [Fact]
    public void ATmsNeverHeardFromLooksDownOnlyOnceTheOfferIsOlderThanTheThreshold()
    {
        var fresh = Explain(Taskforce(Phase.PendingStarter, null, [.. Queued, new(Phase.PendingStarter, -30)]));
        Assert.Equal(ExplainReason.WaitingForTms, fresh.Reason);
        Assert.Equal("Offered to the TMS at SCHEDD1 since 2026-12-07T09:59:30Z; no poll from that TMS is on record yet.",
            fresh.Message);
        Assert.Null(fresh.Evidence["last_poll_ts"]);
        Assert.Null(fresh.Evidence["seconds_since_poll"]);

        var old = Explain(Taskforce(Phase.PendingStarter, null, Offered));
        Assert.Equal(ExplainReason.TmsNotPolling, old.Reason);
        Assert.Equal("Offered to the TMS at SCHEDD1 since 2026-12-07T09:40:00Z, but this service has no record of that "
            + "TMS ever asking for work: it looks down.", old.Message);
        Assert.Equal(T0 - 1200, old.Since);
        Assert.Null(old.Evidence["last_poll_ts"]);
        Assert.Null(old.Evidence["seconds_since_poll"]);
    }

    [Fact]
    public void SubmitFailedPastTheRetryLimit()
    {
        var tf = Taskforce(Phase.PendingStarter, null,
        [
            .. Offered,
            new(Phase.CondorSubmit, -900, false, "ERROR: first"),
            new(Phase.CondorSubmit, -600, false, "ERROR: second"),
            new(Phase.CondorSubmit, -300, false, "ERROR: Can't find address of local schedd"),
        ]);

        var e = Explain(tf, starterPoll: T0 - 5);

        Assert.Equal(ExplainReason.SubmitRetryLimit, e.Reason);
        Assert.Equal("The TMS at SCHEDD1 failed to submit this taskforce to HTCondor 3 times, the last at "
            + "2026-12-07T09:55:00Z (Can't find address of local schedd). After more than 2 failed submissions "
            + "(TMS_ACTION_RETRIES) a taskforce is no longer offered, so this one will not start.", e.Message);
        // It stopped being offered with the failure past the limit.
        Assert.Equal(T0 - 300, e.Since);
        AssertEvidence(new JsonObject
        {
            ["schedd"] = "SCHEDD1",
            ["submit_failures"] = 3,
            ["limit"] = 2,
            ["errors"] = new JsonArray(
                new JsonObject { ["timestamp"] = T0 - 300, ["error"] = "Can't find address of local schedd" },
                new JsonObject { ["timestamp"] = T0 - 600, ["error"] = "second" },
                new JsonObject { ["timestamp"] = T0 - 900, ["error"] = "first" }),
        }, e);
        Assert.Contains("add-workers", e.Action, StringComparison.Ordinal);

        // A higher limit keeps offering it.
        Assert.Equal(ExplainReason.WaitingForTms, Explain(tf, starterPoll: T0 - 5, settings: Settings with { TmsActionRetries = 3 }).Reason);
    }

    // ---- submitted ----

    [Fact]
    public void SubmittedWithNoReportYet()
    {
        var e = Explain(Taskforce(Phase.CondorSubmit, 104501, SubmittedSteps));

        Assert.Equal(ExplainReason.SubmittedNoReport, e.Reason);
        Assert.Equal("Submitted to HTCondor as cluster 104501 at SCHEDD1 at 2026-12-07T09:45:00Z; the TMS has not "
            + "reported on its workers yet (it reports every few minutes).", e.Message);
        Assert.Equal(T0 - 900, e.Since);
        AssertEvidence(new JsonObject
        {
            ["schedd"] = "SCHEDD1",
            ["cluster_id"] = 104501,
            ["n_workers"] = 3,
            ["submitted_ts"] = T0 - 900,
        }, e);
    }

    [Fact]
    public void RunningSinceTheReportThatFirstShowedWorkersRunning()
    {
        var tf = Taskforce(Phase.CondorSubmit, 104501, SubmittedSteps) with { CompoundStatuses = Statuses(running: 8, idle: 2) };
        var history = new[] { Report(-800, idle: 10), Report(-500, running: 3, idle: 7), Report(-200, running: 8, idle: 2) };

        var e = Explain(tf, history: history);

        Assert.Equal(ExplainReason.Running, e.Reason);
        Assert.Equal("HTCondor cluster 104501 at SCHEDD1 runs 8 workers since 2026-12-07T09:51:40Z (2 idle, 0 held), as "
            + "the TMS last reported.", e.Message);
        Assert.Equal(T0 - 500, e.Since);
        Assert.Equal((8, 2, 0), (e.Evidence["running"]!.GetValue<long>(), e.Evidence["idle"]!.GetValue<long>(),
            e.Evidence["held"]!.GetValue<long>()));
        Assert.Equal(T0 - 200, e.Evidence["last_report_ts"]!.GetValue<double>());
        Assert.True(JsonNode.DeepEquals(WorkerCounts.Json(tf.CompoundStatuses), e.Evidence["compound_statuses"]));

        // Without a history the state is dated by the submission.
        Assert.Equal(T0 - 900, Explain(tf).Since);
    }

    [Fact]
    public void WorkersWaitingForSlots()
    {
        var tf = Taskforce(Phase.CondorSubmit, 104501, SubmittedSteps) with { CompoundStatuses = Statuses(idle: 10) };

        var e = Explain(tf, history: [Report(-800, idle: 10)]);

        Assert.Equal(ExplainReason.WorkersIdle, e.Reason);
        Assert.Equal("HTCondor cluster 104501 at SCHEDD1 has 10 workers waiting for a slot since 2026-12-07T09:46:40Z, "
            + "and none running: HTCondor starts them when the pool has room for their worker_config.", e.Message);
        Assert.Equal(T0 - 800, e.Since);
    }

    [Fact]
    public void WorkersHeldWithTheTopErrors()
    {
        var tf = Taskforce(Phase.CondorSubmit, 104501, SubmittedSteps) with
        {
            CompoundStatuses = Statuses(running: 1, held: 4),
            TopTaskErrors = new Dictionary<string, long>
            {
                ["HELD: Memory usage exceeds a memory limit"] = 4,
                ["TimeoutError: task exceeded 3600.0 seconds"] = 1,
                ["pilot: container exited with code 137"] = 2,
                ["rare"] = 1,
            },
        };
        var history = new[] { Report(-800, running: 5), Report(-400, running: 2, held: 3), Report(-100, running: 1, held: 4) };

        var e = Explain(tf, history: history);

        Assert.Equal(ExplainReason.WorkersHeld, e.Reason);
        Assert.Equal("HTCondor cluster 104501 at SCHEDD1 holds 4 workers since 2026-12-07T09:53:20Z (1 running, 0 idle). "
            + "The top errors the TMS reported: \"HELD: Memory usage exceeds a memory limit\" (4), \"pilot: container "
            + "exited with code 137\" (2) and \"TimeoutError: task exceeded 3600.0 seconds\" (1).", e.Message);
        Assert.Equal(T0 - 400, e.Since);
        Assert.True(JsonNode.DeepEquals(WorkerCounts.Json(tf.TopTaskErrors), e.Evidence["top_task_errors"]));
        Assert.Equal(4, e.Evidence["held"]!.GetValue<long>());
        Assert.Contains("worker_config", e.Action, StringComparison.Ordinal);

        // More running than held: it runs, with some held.
        var mostlyRunning = tf with { CompoundStatuses = Statuses(running: 5, held: 1) };
        Assert.Equal(ExplainReason.Running, Explain(mostlyRunning).Reason);
    }

    [Fact]
    public void WorkersReportedButNoneActive()
    {
        var tf = Taskforce(Phase.CondorSubmit, 104501, SubmittedSteps) with { CompoundStatuses = Statuses(completed: 10) };

        var e = Explain(tf);

        Assert.Equal(ExplainReason.NoActiveWorkers, e.Reason);
        Assert.Equal("HTCondor cluster 104501 at SCHEDD1 has no worker running, waiting or held since "
            + "2026-12-07T09:45:00Z (the TMS last reported: COMPLETED 10); the TMS reports the cluster complete once "
            + "HTCondor is done with it.", e.Message);
    }

    // ---- stopping and ended ----

    private static readonly Step[] Stopped = [.. SubmittedSteps, new(Phase.PendingStopper, -600)];

    [Fact]
    public void RemovalPendingAtATmsThatPolls()
    {
        var e = Explain(Taskforce(Phase.PendingStopper, 104501, Stopped), Aborted, stopperPoll: T0 - 30);

        Assert.Equal(ExplainReason.RemovalPending, e.Reason);
        Assert.Equal("Stopped at 2026-12-07T09:50:00Z; the TMS at SCHEDD1 is to remove HTCondor cluster 104501 with one "
            + "of its next polls (it last asked for work at 2026-12-07T09:59:30Z, 30 seconds ago).", e.Message);
        Assert.Equal(T0 - 600, e.Since);
        AssertEvidence(new JsonObject
        {
            ["schedd"] = "SCHEDD1",
            ["cluster_id"] = 104501,
            ["last_poll_ts"] = T0 - 30,
            ["seconds_since_poll"] = 30,
            ["rm_failures"] = 0,
        }, e);
    }

    [Fact]
    public void RemovalWaitsOnATmsThatStoppedPolling()
    {
        // It polls to start work, but not to stop it: each kind is judged on its own.
        var e = Explain(Taskforce(Phase.PendingStopper, 104501, Stopped), Aborted, starterPoll: T0 - 1,
            stopperPoll: T0 - 3600);

        Assert.Equal(ExplainReason.TmsNotPolling, e.Reason);
        Assert.Equal("Stopped at 2026-12-07T09:50:00Z, but the TMS at SCHEDD1, which is to remove HTCondor cluster "
            + "104501, has not asked for work since 2026-12-07T09:00:00Z (60 minutes): it looks down.", e.Message);
        Assert.Equal(T0 - 600, e.Since);
        Assert.Equal("pending-stopper", e.Evidence["kind"]!.GetValue<string>());
        Assert.Equal(104501, e.Evidence["cluster_id"]!.GetValue<long>());
        Assert.Equal(3600, e.Evidence["seconds_since_poll"]!.GetValue<long>());
    }

    [Fact]
    public void RemovalFailedPastTheRetryLimit()
    {
        var tf = Taskforce(Phase.PendingStopper, 104501,
        [
            .. Stopped,
            new(Phase.CondorRm, -500, false, "ERROR: "),
            new(Phase.CondorRm, -400, false, "ERROR: "),
            new(Phase.CondorRm, -300, false, "ERROR: permission denied"),
        ]);

        var e = Explain(tf, Aborted, stopperPoll: T0 - 10);

        Assert.Equal(ExplainReason.RmRetryLimit, e.Reason);
        Assert.Equal("The TMS at SCHEDD1 failed to remove HTCondor cluster 104501 3 times, the last at "
            + "2026-12-07T09:55:00Z. After more than 2 failed removals (TMS_ACTION_RETRIES) the TMS is no longer asked "
            + "to, so the cluster may still hold workers.", e.Message);
        Assert.Equal(T0 - 300, e.Since);
        Assert.Equal(3, e.Evidence["rm_failures"]!.GetValue<int>());
        Assert.Equal("Ask the operators of SCHEDD1 to remove HTCondor cluster 104501 by hand.", e.Action);
    }

    [Fact]
    public void RemovedAwaitingCompletion()
    {
        var e = Explain(Taskforce(Phase.CondorRm, 104501, [.. Stopped, new(Phase.CondorRm, -120)]), Aborted);

        Assert.Equal(ExplainReason.Removed, e.Reason);
        Assert.Equal("The TMS at SCHEDD1 removed HTCondor cluster 104501 at 2026-12-07T09:58:00Z; it reports the cluster "
            + "complete once HTCondor has cleared it.", e.Message);
        Assert.Equal(T0 - 120, e.Since);
        AssertEvidence(new JsonObject { ["schedd"] = "SCHEDD1", ["cluster_id"] = 104501, ["removed_ts"] = T0 - 120 }, e);
    }

    [Fact]
    public void StoppedBeforeItWasSubmitted()
    {
        var tf = Taskforce(Phase.PendingStopper, null, [.. Queued, new(Phase.PendingStopper, -600)]);

        var e = Explain(tf, Aborted);

        Assert.Equal(ExplainReason.StoppedBeforeSubmit, e.Reason);
        Assert.Equal("The workflow was aborted at 2026-12-07T09:50:00Z, before this taskforce was submitted to HTCondor "
            + "(it was in 'pre-launch'): it will not run, and there is nothing to remove.", e.Message);
        Assert.Equal(T0 - 600, e.Since);
        AssertEvidence(new JsonObject
        {
            ["deactivated"] = "ABORTED",
            ["deactivated_ts"] = T0 - 600,
            ["stopped_in_phase"] = "pre-launch",
        }, e);
        Assert.Null(e.Action);
    }

    [Fact]
    public void ADeactivationNotYetPassedOnIsExplainedAsItsOutcome()
    {
        // The workflow is finished, but this taskforce has not been told yet.
        var finished = Activated with { Deactivated = Deactivation.Finished, DeactivatedTs = T0 - 60 };

        var e = Explain(Taskforce(Phase.PendingStarter, null, Offered), finished, starterPoll: T0 - 5);

        Assert.Equal(ExplainReason.StoppedBeforeSubmit, e.Reason);
        Assert.StartsWith("The workflow was marked finished at 2026-12-07T09:59:00Z", e.Message, StringComparison.Ordinal);
        Assert.Equal(T0 - 60, e.Since);
        Assert.Equal("pending-starter", e.Evidence["stopped_in_phase"]!.GetValue<string>());
    }

    [Fact]
    public void FinishedWhenHTCondorCompletedTheCluster()
    {
        var tf = Taskforce(Phase.CondorComplete, 104501,
            [.. SubmittedSteps, new(Phase.CondorComplete, -60, EventTime: T0 - 75)]);

        var e = Explain(tf);

        Assert.Equal(ExplainReason.Finished, e.Reason);
        Assert.Equal("HTCondor cluster 104501 at SCHEDD1 completed at 2026-12-07T09:58:45Z; this taskforce is done.", e.Message);
        Assert.Equal(T0 - 60, e.Since);
        AssertEvidence(new JsonObject { ["schedd"] = "SCHEDD1", ["cluster_id"] = 104501, ["condor_complete_ts"] = T0 - 75 }, e);
    }

    [Fact]
    public void EveryReasonIsReachable()
    {
        var seen = new HashSet<string>
        {
            Explain(Taskforce(Phase.PreMqActivation), Submitted).Reason,
            Explain(Taskforce(Phase.PreLaunch, null, Queued), position: 1, queueLength: 1).Reason,
            Explain(Taskforce(Phase.PendingStarter, null, Offered), starterPoll: T0).Reason,
            Explain(Taskforce(Phase.PendingStarter, null, Offered)).Reason,
            Explain(Taskforce(Phase.PendingStarter, null, [.. Offered, new(Phase.CondorSubmit, 0, false), new(Phase.CondorSubmit, 0, false), new(Phase.CondorSubmit, 0, false)])).Reason,
            Explain(Taskforce(Phase.CondorSubmit, 1, SubmittedSteps)).Reason,
            Explain(Taskforce(Phase.CondorSubmit, 1, SubmittedSteps) with { CompoundStatuses = Statuses(running: 1) }).Reason,
            Explain(Taskforce(Phase.CondorSubmit, 1, SubmittedSteps) with { CompoundStatuses = Statuses(idle: 1) }).Reason,
            Explain(Taskforce(Phase.CondorSubmit, 1, SubmittedSteps) with { CompoundStatuses = Statuses(held: 1) }).Reason,
            Explain(Taskforce(Phase.CondorSubmit, 1, SubmittedSteps) with { CompoundStatuses = Statuses(completed: 1) }).Reason,
            Explain(Taskforce(Phase.PendingStopper, 1, Stopped), Aborted, stopperPoll: T0).Reason,
            Explain(Taskforce(Phase.PendingStopper, 1, [.. Stopped, new(Phase.CondorRm, 0, false), new(Phase.CondorRm, 0, false), new(Phase.CondorRm, 0, false)]), Aborted).Reason,
            Explain(Taskforce(Phase.CondorRm, 1, [.. Stopped, new(Phase.CondorRm, 0)]), Aborted).Reason,
            Explain(Taskforce(Phase.PendingStopper, null, [.. Queued, new(Phase.PendingStopper, 0)]), Aborted).Reason,
            Explain(Taskforce(Phase.CondorComplete, 1, [.. SubmittedSteps, new(Phase.CondorComplete, 0)])).Reason,
        };

        Assert.Equal(ExplainReason.All.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// The reason of a submitted taskforce is its report's alone: what watchers rely on to skip asking again
    /// (<see cref="ClusterExplanations.ReasonOf"/>) is what the rules answer, whatever the history says.
    /// </summary>
    [Theory]
    [InlineData(0, 0, 0, 0, 0)]
    [InlineData(0, 0, 0, 0, 2)]
    [InlineData(8, 2, 0, 0, 0)]
    [InlineData(3, 0, 3, 0, 1)]
    [InlineData(4, 0, 3, 0, 0)]
    [InlineData(0, 0, 1, 0, 0)]
    [InlineData(0, 5, 0, 0, 0)]
    [InlineData(0, 5, 1, 0, 0)]
    [InlineData(0, 0, 0, 6, 0)]
    [InlineData(1, 1, 1, 1, 1)]
    public void ASubmittedTaskforcesReasonIsItsReportsAlone(long running, long idle, long held, long completed, long errors)
    {
        var statuses = Statuses(running, idle, held, completed);
        var tf = Taskforce(Phase.CondorSubmit, 104501, SubmittedSteps) with
        {
            CompoundStatuses = statuses,
            TopTaskErrors = errors > 0 ? new Dictionary<string, long> { ["OOM"] = errors } : new Dictionary<string, long>(),
        };
        var predicted = ClusterExplanations.ReasonOf(
            WorkerCounts.Of(statuses), ClusterExplanations.Reported(statuses.Count, tf.TopTaskErrors.Count));

        Assert.Equal(Explain(tf).Reason, predicted);
        Assert.Equal(Explain(tf, history: [Report(-300, running: 99), Report(-200, held: 99)]).Reason, predicted);
    }
}
