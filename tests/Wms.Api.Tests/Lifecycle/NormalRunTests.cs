using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;
using Wms.Testing;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.Lifecycle;

public abstract class NormalRunTests
{
    protected abstract StorageMode Mode { get; }

    private const string TaskImage = "/cvmfs/icecube.opensciencegrid.org/containers/realtime/skymap_scanner:3.21.2";
    private const string TaskArgs = "python -m skymap_scanner.client --infile {{INFILE}}";

    [Fact]
    public async Task WorkflowRunsFromCreationToCondorCompleteThenFinishes()
    {
        // Activation waits at the gate until the creation answer has been compared with what is stored.
        using var gate = new ManualResetEventSlim(false);
        await using var host = await LifecycleHost.StartAsync(Mode, s => s["MQS_REQUEST_TIMEOUT"] = "15");
        var mqs = host.FakeMqs;
        mqs.ActivationPolicy = _ =>
        {
            gate.Wait(TimeSpan.FromSeconds(15));
            return ActivationOutcome.Grant;
        };
        try
        {
            await RunAsync(host, gate);
        }
        finally
        {
            gate.Set();
        }
    }

    private static async Task RunAsync(LifecycleHost host, ManualResetEventSlim gate)
    {
        var mqs = host.FakeMqs;
        var user = host.User;
        var task = Task([Alpha, Beta], ["raw-events"], ["reco-results"], image: TaskImage, args: TaskArgs);
        task["task_env"] = new JsonObject { ["SCAN_NSIDE"] = "8", ["DEBUG"] = "1" };
        task["pilot_config"] = new JsonObject
        {
            ["tag"] = "1.2.3",
            ["environment"] = new JsonObject { ["EWMS_PILOT_QUARANTINE_TIME"] = 60 },
            ["input_files"] = Strings(["/data/gcd.i3.gz"]),
        };
        var created = await user.CreateWorkflowAsync(Workflow([task], ["reco-results"], priority: 42));
        var workflowId = WorkflowId(created);

        // ---- creation: the answer is what is stored ----
        Assert.Equal(["workflow", "task_directives", "taskforces"], created.Select(kv => kv.Key));
        var workflow = (JsonObject)created["workflow"]!;
        Assert.Equal(42, workflow["priority"]!.GetValue<int>());
        Assert.Null(workflow["mq_activated_ts"]);
        Assert.Null(workflow["deactivated"]);
        Assert.False(workflow.ContainsKey("_mq_activation_retry_at_ts"));
        var directive = (JsonObject)((JsonArray)created["task_directives"]!).Single()!;
        var taskforces = ((JsonArray)created["taskforces"]!).Select(t => (JsonObject)t!).ToList();
        Assert.Equal(2, taskforces.Count);

        AssertJson(workflow, await user.WorkflowAsync(workflowId));
        AssertJson(directive, await user.TaskDirectiveAsync(Text(directive["task_id"])));
        foreach (var taskforce in taskforces)
        {
            AssertJson(taskforce, await user.TaskforceAsync(Text(taskforce["taskforce_uuid"])));
        }

        // One reservation: every alias once, plus the public list.
        var reservation = Assert.Single(mqs.Reservations);
        Assert.Equal(workflowId, reservation.WorkflowId);
        AssertJson(
            new JsonObject { ["queue_aliases"] = Strings(["raw-events", "reco-results"]), ["public"] = Strings(["reco-results"]) },
            reservation.Body);
        var inbound = mqs.ProfilesOf(workflowId).Single(p => p.Alias == "raw-events");
        var outbound = mqs.ProfilesOf(workflowId).Single(p => p.Alias == "reco-results");
        AssertJson(Strings([inbound.Mqid]), directive["input_queues"]);
        AssertJson(Strings([outbound.Mqid]), directive["output_queues"]);
        AssertJson(Strings([Alpha, Beta]), directive["cluster_locations"]);

        var alpha = taskforces.Single(t => Text(t["schedd"]) == WmsServer.AlphaSchedd);
        var beta = taskforces.Single(t => Text(t["schedd"]) == WmsServer.BetaSchedd);
        Assert.Equal(WmsServer.AlphaCollector, Text(alpha["collector"]));
        Assert.Equal(WmsServer.BetaCollector, Text(beta["collector"]));
        foreach (var taskforce in taskforces)
        {
            Assert.Equal(PreMqActivation, PhaseOf(taskforce));
            Assert.Equal(Text(directive["task_id"]), Text(taskforce["task_id"]));
            Assert.Null(taskforce["cluster_id"]);
            Assert.Equal("", Text(taskforce["job_event_log_fpath"]));
            Assert.Equal(3, taskforce["n_workers"]!.GetValue<int>());
            AssertJson(task["worker_config"], taskforce["worker_config"]);
            Assert.Equal(["tag", "environment", "input_files"], ((JsonObject)taskforce["pilot_config"]!).Select(kv => kv.Key));
            Assert.Equal("1.2.3", Text(taskforce["pilot_config"]!["tag"]));
            var entry = Assert.Single(LogOf(taskforce));
            Assert.Equal("During initial workflow creation.", Text(entry["description"]));
            Assert.Null(entry["source_event_time"]);
        }
        var uuidAlpha = Text(alpha["taskforce_uuid"]);
        var uuidBeta = Text(beta["taskforce_uuid"]);

        // ---- MQ activation and launch ----
        gate.Set();
        await host.WaitForPhaseAsync([uuidAlpha, uuidBeta], PendingStarter);
        var activated = await user.WorkflowAsync(workflowId);
        Assert.NotNull(activated["mq_activated_ts"]);
        Assert.False(activated.ContainsKey("_mq_activation_retry_at_ts"));
        Assert.Equal([workflowId], mqs.GrantedActivationOrder);
        AssertJson(new JsonObject { ["criteria"] = new JsonObject { ["priority"] = 42 } }, mqs.Activations.Single().Body);

        inbound = mqs.ProfilesOf(workflowId).Single(p => p.Alias == "raw-events");
        outbound = mqs.ProfilesOf(workflowId).Single(p => p.Alias == "reco-results");
        var expectedEnvironment = new JsonObject
        {
            ["EWMS_PILOT_QUARANTINE_TIME"] = 60,
            ["EWMS_PILOT_TASK_IMAGE"] = TaskImage,
            ["EWMS_PILOT_TASK_ARGS"] = TaskArgs,
            ["EWMS_PILOT_QUEUE_INCOMING"] = Strings([inbound.Mqid]),
            ["EWMS_PILOT_QUEUE_INCOMING_AUTH_TOKEN"] = Strings([inbound.AuthToken!]),
            ["EWMS_PILOT_QUEUE_INCOMING_BROKER_TYPE"] = Strings([inbound.BrokerType!]),
            ["EWMS_PILOT_QUEUE_INCOMING_BROKER_ADDRESS"] = Strings([inbound.BrokerAddress!]),
            ["EWMS_PILOT_QUEUE_OUTGOING"] = Strings([outbound.Mqid]),
            ["EWMS_PILOT_QUEUE_OUTGOING_AUTH_TOKEN"] = Strings([outbound.AuthToken!]),
            ["EWMS_PILOT_QUEUE_OUTGOING_BROKER_TYPE"] = Strings([outbound.BrokerType!]),
            ["EWMS_PILOT_QUEUE_OUTGOING_BROKER_ADDRESS"] = Strings([outbound.BrokerAddress!]),
        };
        foreach (var uuid in new[] { uuidAlpha, uuidBeta })
        {
            var environment = (JsonObject)(await user.TaskforceAsync(uuid))["pilot_config"]!["environment"]!;
            var taskEnv = JsonNode.Parse(Text(environment["EWMS_PILOT_TASK_ENV_JSON"]));
            AssertJson(task["task_env"], taskEnv);
            environment.Remove("EWMS_PILOT_TASK_ENV_JSON");
            AssertJson(expectedEnvironment, environment);
        }

        // ---- the TMS at each schedd is offered its own taskforce, and again until it confirms ----
        var offeredAlpha = await host.Alpha.PollPendingStarterAsync();
        var offeredBeta = await host.Beta.PollPendingStarterAsync();
        Assert.Equal(uuidAlpha, Text(offeredAlpha!["taskforce_uuid"]));
        Assert.Equal(uuidBeta, Text(offeredBeta!["taskforce_uuid"]));
        AssertJson(offeredAlpha, await host.Alpha.PollPendingStarterAsync());
        AssertJson(await user.TaskforceAsync(uuidAlpha), offeredAlpha);

        var clusters = new Dictionary<string, long>();
        var logPaths = new Dictionary<string, string>();
        foreach (var (tms, offered) in new[] { (host.Alpha, offeredAlpha), (host.Beta, offeredBeta) })
        {
            var uuid = Text(offered["taskforce_uuid"]);
            var clusterId = tms.AllocateClusterId();
            var logPath = tms.JobEventLogFpathFor(clusterId);
            var submitDict = TmsSamples.SubmitDict(uuid, logPath, offered);
            var answer = await tms.SubmitAsync(uuid, clusterId, 3, submitDict, logPath);
            AssertJson(new JsonObject { ["taskforce_uuid"] = uuid }, answer.Body);
            Assert.Null(await tms.PollPendingStarterAsync());
            var submitted = await user.TaskforceAsync(uuid);
            Assert.Equal(CondorSubmit, PhaseOf(submitted));
            Assert.Equal(clusterId, submitted["cluster_id"]!.GetValue<long>());
            Assert.Equal(logPath, Text(submitted["job_event_log_fpath"]));
            AssertJson(submitDict, submitted["submit_dict"]);
            clusters[uuid] = clusterId;
            logPaths[uuid] = logPath;
        }

        // ---- three rounds of statuses; each read shows the latest round, whole ----
        int[] variants = [1, 2, 5]; // odd variants carry extra keys, so round two also drops keys
        foreach (var variant in variants)
        {
            var compound = new Dictionary<string, Dictionary<string, Dictionary<string, int>>>
            {
                [uuidAlpha] = TmsSamples.CompoundStatuses(variant),
                [uuidBeta] = TmsSamples.CompoundStatuses(variant + 10),
            };
            var errors = new Dictionary<string, Dictionary<string, int>>
            {
                [uuidAlpha] = TmsSamples.TopTaskErrors(variant),
                [uuidBeta] = TmsSamples.TopTaskErrors(variant + 10),
            };
            errors[uuidBeta][$"round {variant}: worker.py: KeyError 'x.y'"] = variant;
            var answer = await host.Alpha.SendStatusesAsync(compound, errors);
            Assert.Equal(200, answer.StatusCode);
            var results = ((JsonArray)answer.Body!["results"]!).Select(r => r!.ToJsonString()).Order().ToList();
            var expectedResults = new[] { uuidAlpha, uuidBeta }
                .Select(u => new JsonObject { ["uuid"] = u, ["status"] = "updated" }.ToJsonString()).Order().ToList();
            Assert.Equal(expectedResults, results);
            foreach (var uuid in new[] { uuidAlpha, uuidBeta })
            {
                var stored = await user.TaskforceAsync(uuid);
                AssertJson(ToJson(compound[uuid]), stored["compound_statuses"]);
                AssertJson(ToJson(errors[uuid]), stored["top_task_errors"]);
            }
        }

        // ---- how the TMS finds its taskforces ----
        var found = await host.Alpha.FindTaskforcesByLogAsync(logPaths[uuidAlpha]);
        AssertJson(
            new JsonArray(new JsonObject { ["taskforce_uuid"] = uuidAlpha, ["cluster_id"] = clusters[uuidAlpha] }),
            found);
        Assert.Empty(await host.Alpha.QueryCompletedAsync());

        // ---- completion ----
        var completeTs = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        foreach (var (tms, uuid) in new[] { (host.Alpha, uuidAlpha), (host.Beta, uuidBeta) })
        {
            var answer = await tms.CompleteAsync(uuid, completeTs);
            AssertJson(new JsonObject { ["taskforce_uuid"] = uuid }, answer.Body);
        }
        var completed = new Dictionary<string, JsonObject>();
        foreach (var uuid in new[] { uuidAlpha, uuidBeta })
        {
            var taskforce = await user.TaskforceAsync(uuid);
            Assert.Equal(CondorComplete, PhaseOf(taskforce));
            AssertLog(taskforce, [.. UpToPendingStarter, new(CondorSubmit, Tms), new(CondorComplete, Tms)]);
            var log = LogOf(taskforce);
            Assert.Equal((double)completeTs, Number(log[^1]["source_event_time"]));
            Assert.All(log.SkipLast(1), e => Assert.Null(e["source_event_time"]));
            Assert.Equal(log.Select(e => Number(e["timestamp"])).Order(), log.Select(e => Number(e["timestamp"])));
            completed[uuid] = taskforce;
        }
        Assert.Empty(await host.Alpha.QueryCompletedAsync());

        // ---- finished: nothing left to stop, but each taskforce records the refused stop ----
        var finished = await user.FinishedAsync(workflowId);
        Assert.Equal(200, finished.Status);
        AssertJson(new JsonObject { ["workflow_id"] = workflowId, ["n_taskforces"] = 0 }, finished.Body);
        var deactivated = await user.WorkflowAsync(workflowId);
        Assert.Equal("FINISHED", Text(deactivated["deactivated"]));
        Assert.True(Number(deactivated["deactivated_ts"]) >= Number(activated["mq_activated_ts"]));
        foreach (var uuid in new[] { uuidAlpha, uuidBeta })
        {
            var taskforce = await user.TaskforceAsync(uuid);
            Assert.Equal(CondorComplete, PhaseOf(taskforce));
            AssertLog(taskforce,
                [.. UpToPendingStarter, new(CondorSubmit, Tms), new(CondorComplete, Tms), new(PendingStopper, User, false)]);
            AssertJson(ArrayOf(LogOf(completed[uuid])), ArrayOf(LogOf(taskforce).SkipLast(1)));
        }
        Assert.Null(await host.Alpha.PollPendingStopperAsync());

        var again = await user.FinishedAsync(workflowId);
        again.AssertError(404, $"no non-deactivated workflow found with workflow_id='{workflowId}'");
        var abort = await user.AbortAsync(workflowId);
        abort.AssertError(404, $"no non-deactivated workflow found with workflow_id='{workflowId}'");
        Assert.Equal("FINISHED", Text((await user.WorkflowAsync(workflowId))["deactivated"]));
        Assert.Single(mqs.Reservations);
        Assert.Equal([workflowId], mqs.GrantedActivationOrder);
    }

    private static JsonObject ToJson(Dictionary<string, Dictionary<string, int>> statuses) =>
        new(statuses.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)ToJson(kv.Value))));

    private static JsonObject ToJson(Dictionary<string, int> counts) =>
        new(counts.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
}

public sealed class NormalRunTestsInMemory : NormalRunTests
{
    protected override StorageMode Mode => StorageMode.Memory;
}

public sealed class NormalRunTestsOnPostgres : NormalRunTests
{
    protected override StorageMode Mode => StorageMode.Postgres;
}
