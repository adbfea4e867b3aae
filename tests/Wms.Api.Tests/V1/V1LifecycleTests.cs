using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;
using Wms.Api.Tests.Lifecycle;
using Wms.Testing;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.V1;

/// <summary>
/// Whole lifecycles as today's EWMS runs them: a <c>/v1</c> user, the MQS v1.1.1, and TMS v1.2.4 polling by schedd
/// and building the pilot's environment itself; and each generation's workflows run by the other's TMS.
/// </summary>
public abstract class V1LifecycleTests
{
    protected abstract StorageMode Mode { get; }

    private static SimulatedTms V1Tms(LifecycleHost host, string schedd, long firstClusterId) =>
        SimulatedTms.ForV1(host.Server.Http, schedd, firstClusterId);

    [Fact]
    public async Task AV1WorkflowRunsToTheEndWithTheTmsBuildingItsQueueVariables()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var user = new UserClient(host.Server.Http, V1Schema.Shared);
        var task = V1Flow.Task([Alpha, Beta], ["raw-events"], ["reco-results"]);
        task["task_env"] = new JsonObject { ["SCAN_NSIDE"] = "8" };
        task["init_image"] = "/cvmfs/init:1";
        task["init_args"] = "--warm";
        task["pilot_config"] = new JsonObject
        {
            ["tag"] = "1.2.3",
            ["image_source"] = "cvmfs",
            ["environment"] = new JsonObject { ["EWMS_PILOT_QUARANTINE_TIME"] = "60" },
            ["input_files"] = Strings(["/data/gcd.i3.gz"]),
        };
        var request = Workflow([task], ["reco-results"], priority: 70);
        var created = (await user.PostAsync("v1/workflows", request)).Object;
        var workflowId = WorkflowId(created);
        var uuids = TaskforceUuids(created);

        // The MQS v1.1.1 took the v1 bodies (it refuses anything else) and activated the queues.
        Assert.True(await host.FakeMqs.WaitForAsync(m => m.IsActivated(workflowId), LifecycleHost.Deadline));
        var activation = Assert.Single(host.FakeMqs.Activations);
        AssertJson(new JsonObject { ["criteria"] = new JsonObject { ["priority"] = 70 } }, activation.Body);
        foreach (var uuid in uuids)
        {
            await WaitForPhaseAsync(user, uuid, PendingStarter);
        }

        var alpha = V1Tms(host, WmsServer.AlphaSchedd, 10_001);
        var beta = V1Tms(host, WmsServer.BetaSchedd, 20_001);
        var started = (await alpha.RunStarterCycleAsync()).Concat(await beta.RunStarterCycleAsync()).ToList();
        Assert.Equal(uuids.Order(), started.Order());

        // What the pilot gets: the queues once each, from the live profiles, and the task's own settings.
        var profiles = host.FakeMqs.ProfilesOf(workflowId);
        var inbound = profiles.Single(p => p.Alias == "raw-events");
        var outbound = profiles.Single(p => p.Alias == "reco-results");
        foreach (var tms in new[] { alpha, beta })
        {
            var offer = tms.Starts.Single().Offer;
            Assert.Equal(inbound.Mqid, offer.Variable("EWMS_PILOT_QUEUE_INCOMING"));
            Assert.Equal(inbound.AuthToken, offer.Variable("EWMS_PILOT_QUEUE_INCOMING_AUTH_TOKEN"));
            Assert.Equal(inbound.BrokerAddress, offer.Variable("EWMS_PILOT_QUEUE_INCOMING_BROKER_ADDRESS"));
            Assert.Equal(outbound.Mqid, offer.Variable("EWMS_PILOT_QUEUE_OUTGOING"));
            Assert.Equal(outbound.BrokerType, offer.Variable("EWMS_PILOT_QUEUE_OUTGOING_BROKER_TYPE"));
            Assert.Equal(task["task_image"]!.GetValue<string>(), offer.Variable("EWMS_PILOT_TASK_IMAGE"));
            Assert.Equal("/cvmfs/init:1", offer.Variable("EWMS_PILOT_INIT_IMAGE"));
            Assert.Equal("--warm", offer.Variable("EWMS_PILOT_INIT_ARGS"));
            Assert.Equal("60", offer.Variable("EWMS_PILOT_QUARANTINE_TIME"));
            Assert.NotNull(offer.Variable("EWMS_PILOT_TASK_ENV_JSON"));
        }

        // Statuses, completion, the end; the TMS's watcher queries find what it submitted.
        var first = uuids[0];
        var start = alpha.LastStartOf(first) ?? beta.LastStartOf(first)!;
        var tmsOfFirst = alpha.LastStartOf(first) is null ? beta : alpha;
        var found = await tmsOfFirst.FindTaskforcesByLogAsync(tmsOfFirst.JobEventLogFpathFor(start.ClusterId!.Value));
        Assert.Contains(found, t => t!["taskforce_uuid"]!.GetValue<string>() == first);
        var statuses = await tmsOfFirst.SendStatusesAsync(
            new Dictionary<string, Dictionary<string, Dictionary<string, int>>>
            {
                [first] = new() { ["RUNNING"] = new() { ["Tasking"] = 3 } },
            }, null);
        Assert.Equal(200, statuses.StatusCode);
        foreach (var uuid in uuids)
        {
            var tms = alpha.LastStartOf(uuid) is null ? beta : alpha;
            Assert.Equal(200, (await tms.CompleteAsync(uuid, 1_700_000_000)).StatusCode);
        }
        Assert.Empty(await tmsOfFirst.FindUncompletedByLogAsync(tmsOfFirst.JobEventLogFpathFor(start.ClusterId!.Value)));
        var finished = (await user.PostAsync($"v1/workflows/{workflowId}/actions/finished")).Object;
        Assert.Equal(workflowId, finished["workflow_id"]!.GetValue<string>());
        var tf = (await user.GetAsync($"v1/taskforces/{first}")).Object;
        Assert.Equal(CondorComplete, PhaseOf(tf));
        Assert.Equal(3, tf["compound_statuses"]!["RUNNING"]!["Tasking"]!.GetValue<int>());
        Assert.All(LogOf(tf), e => Assert.True(e.ContainsKey("context")));
    }

    [Fact]
    public async Task AnAbortedV1WorkflowIsStoppedByScheddAlone()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var user = new UserClient(host.Server.Http, V1Schema.Shared);
        var created = (await user.PostAsync("v1/workflows", V1Flow.SimpleWorkflow(Alpha))).Object;
        var uuid = TaskforceUuids(created).Single();
        await WaitForPhaseAsync(user, uuid, PendingStarter);
        var alpha = V1Tms(host, WmsServer.AlphaSchedd, 10_001);
        Assert.Equal([uuid], await alpha.RunStarterCycleAsync());
        Assert.Equal(200, (await user.PostAsync($"v1/workflows/{WorkflowId(created)}/actions/abort")).Status);
        Assert.Equal([uuid], await alpha.RunStopperCycleAsync());
        Assert.Equal(CondorRm, PhaseOf((await user.GetAsync($"v1/taskforces/{uuid}")).Object));
        Assert.Empty(await alpha.RunStopperCycleAsync());
    }

    [Fact]
    public async Task AV0WorkflowIsRunByTodaysTms()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var created = await host.User.CreateWorkflowAsync(SimpleWorkflow(Alpha));
        var uuid = TaskforceUuids(created).Single();
        await host.WaitForTaskforceAsync(uuid, t => PhaseOf(t) == PendingStarter, PendingStarter);
        var alpha = V1Tms(host, WmsServer.AlphaSchedd, 10_001);
        Assert.Equal([uuid], await alpha.RunStarterCycleAsync());
        var offer = alpha.Starts.Single().Offer;
        // The /v0 injection is not shown to today's TMS, which would append to it: each variable holds one queue.
        var inbound = host.FakeMqs.ProfilesOf(WorkflowId(created)).Single(p => p.Alias == "in");
        Assert.Equal(inbound.Mqid, offer.Variable("EWMS_PILOT_QUEUE_INCOMING"));
        Assert.Equal(inbound.AuthToken, offer.Variable("EWMS_PILOT_QUEUE_INCOMING_AUTH_TOKEN"));
        Assert.Equal(CondorSubmit, PhaseOf(await host.User.TaskforceAsync(uuid)));
    }

    [Fact]
    public async Task AV1WorkflowIsRunByTheV0Tms()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var user = new UserClient(host.Server.Http, V1Schema.Shared);
        var created = (await user.PostAsync("v1/workflows", V1Flow.SimpleWorkflow(Alpha))).Object;
        var uuid = TaskforceUuids(created).Single();
        // Found by its configured collector and schedd although /v1 shows no collector.
        await host.WaitForTaskforceAsync(uuid, t => PhaseOf(t) == PendingStarter, PendingStarter);
        Assert.Equal([uuid], await host.Alpha.RunStarterCycleAsync());
        Assert.Equal(CondorSubmit, PhaseOf(await host.User.TaskforceAsync(uuid)));
    }

    private static async Task WaitForPhaseAsync(UserClient user, string uuid, string phase)
    {
        JsonObject? last = null;
        var reached = await Poll.UntilAsync(async () =>
        {
            last = (await user.GetAsync($"v1/taskforces/{uuid}")).Object;
            return PhaseOf(last) == phase;
        }, LifecycleHost.Deadline);
        Assert.True(reached, $"taskforce {uuid} never reached {phase}; last seen {last?.ToJsonString()}");
    }
}

public sealed class V1LifecycleInMemoryTests : V1LifecycleTests
{
    protected override StorageMode Mode => StorageMode.Memory;
}

public sealed class V1LifecyclePostgresTests : V1LifecycleTests
{
    protected override StorageMode Mode => StorageMode.Postgres;
}
