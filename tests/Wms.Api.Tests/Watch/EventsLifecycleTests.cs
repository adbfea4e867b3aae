using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;
using Wms.Api.Tests.Lifecycle;
using Wms.Testing;
using static Wms.Api.Tests.Lifecycle.Flow;
using static Wms.Api.Tests.Watch.Watching;

namespace Wms.Api.Tests.Watch;

/// <summary>
/// Live watch through HTTP, driven by the fake MQS and the simulated TMS: the snapshot first, then every change of a
/// workflow's whole life in order, each with an id one after the last; status reports as <c>status</c> changes; an
/// unknown workflow is a 404 before any event.
/// </summary>
public abstract class EventsLifecycleTests
{
    protected abstract StorageMode Mode { get; }

    [Fact]
    public async Task ASnapshotThenEveryChangeOfAWholeLifeArriveInOrder()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        // The MQS holds the activation back until the watcher is there.
        var open = false;
        host.FakeMqs.ActivationPolicy = _ => Volatile.Read(ref open) ? ActivationOutcome.Grant : ActivationOutcome.TryAgainLater();
        var created = await host.User.CreateWorkflowAsync(SimpleWorkflow(Alpha));
        var (id, uuid) = (WorkflowId(created), TaskforceUuids(created).Single());

        var (stream, snapshot) = await OpenWithSnapshotAsync(host.Server.Http, id);
        await using var _ = stream;
        Assert.Equal(id, Text(snapshot["workflow"]!["workflow_id"]));
        Assert.False(snapshot["resumed"]!.GetValue<bool>());
        Assert.Equal("new", Text(snapshot["cause"]));
        var listed = Assert.Single(snapshot["taskforces"]!.AsArray())!.AsObject();
        Assert.Equal((uuid, PreMqActivation, "snapshot"), (Text(listed["taskforce_uuid"]), Text(listed["phase"]), Text(listed["change"])));
        Assert.Equal(PreMqActivation, Text(listed["last_log"]!["target_phase"]));

        Volatile.Write(ref open, true);
        var events = await stream.ReadUntilAsync(e => MovedTo(e, PendingStarter), Deadline);
        var clusterId = await host.SubmitAsync(uuid);
        events.AddRange(await stream.ReadUntilAsync(e => MovedTo(e, CondorSubmit), Deadline));
        var failed = await host.Alpha.FailRmAsync(uuid);
        Assert.Equal(200, failed.StatusCode);
        events.AddRange(await stream.ReadUntilAsync(e => e.Name == "taskforce" && Text(e.Json["change"]) == "log", Deadline));
        var report = await host.Alpha.SendStatusesAsync(
            new Dictionary<string, Dictionary<string, Dictionary<string, int>>> { [uuid] = TmsSamples.CompoundStatuses(1) },
            new Dictionary<string, Dictionary<string, int>> { [uuid] = TmsSamples.TopTaskErrors(1) });
        Assert.Equal(200, report.StatusCode);
        events.AddRange(await stream.ReadUntilAsync(e => e.Name == "taskforce" && Text(e.Json["change"]) == "status", Deadline));
        Assert.Equal(200, (await host.User.FinishedAsync(id)).Status);
        events.AddRange(await stream.ReadUntilAsync(e => IsWorkflowChange(e, "deactivated"), Deadline));
        Assert.Equal(200, (await host.Alpha.RmAsync(uuid)).StatusCode);
        events.AddRange(await stream.ReadUntilAsync(e => MovedTo(e, CondorRm), Deadline));
        Assert.Equal(200, (await host.Alpha.CompleteAsync(uuid, 1_700_000_000)).StatusCode);
        events.AddRange(await stream.ReadUntilAsync(e => MovedTo(e, CondorComplete), Deadline));

        // Every change once, in the order made: the taskforce's own, and the workflow's own (the MQS's refusals
        // before the MQS let it through are retries). Launch control may move the taskforce on before the workflow
        // has recorded its activation, so the two are not compared with each other there.
        Assert.Equal(
            [
                "taskforce phase pre-mq-activation>pre-launch", "taskforce phase pre-launch>pending-starter",
                "taskforce phase pending-starter>condor-submit", "taskforce log", "taskforce status",
                "taskforce phase condor-submit>pending-stopper", "taskforce phase pending-stopper>condor-rm",
                "taskforce phase condor-rm>condor-complete",
            ],
            events.Where(e => e.Name == "taskforce").Select(Describe));
        Assert.Equal(["workflow activated", "workflow deactivated"],
            events.Where(e => e.Name == "workflow").Select(Describe).Where(d => d != "workflow activation-retry"));
        // What the user and the TMS did, they did after seeing the change before it: those steps are in order.
        var told = events.Select(Describe).ToList();
        Assert.True(told.IndexOf("workflow activated") < told.IndexOf("taskforce phase pending-starter>condor-submit"));
        Assert.True(told.IndexOf("taskforce status") < told.IndexOf("taskforce phase condor-submit>pending-stopper"));
        Assert.True(told.IndexOf("workflow deactivated") < told.IndexOf("taskforce phase pending-stopper>condor-rm"));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => events[0].Sequence + i - 1), events.Select(e => e.Sequence));
        Assert.Single(events.Select(e => e.Epoch).Distinct());

        var submitted = events.Single(e => MovedTo(e, CondorSubmit)).Json;
        Assert.Equal((clusterId, 3L), (submitted["cluster_id"]!.GetValue<long>(), submitted["n_workers"]!.GetValue<long>()));
        Assert.Equal((WmsServer.AlphaSchedd, WmsServer.AlphaCollector), (Text(submitted["schedd"]), Text(submitted["collector"])));
        var status = events.Single(e => e.Name == "taskforce" && Text(e.Json["change"]) == "status").Json;
        AssertJson(JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(TmsSamples.CompoundStatuses(1))), status["compound_statuses"]);
        AssertJson(JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(TmsSamples.TopTaskErrors(1))), status["top_task_errors"]);
        Assert.Null(status["previous_phase"]);
        var logged = events.Single(e => e.Name == "taskforce" && Text(e.Json["change"]) == "log").Json;
        Assert.False(logged["last_log"]!["was_successful"]!.GetValue<bool>());
        Assert.Equal(CondorRm, Text(logged["last_log"]!["target_phase"]));
        // Each summary's newest log entry is the taskforce's own, as /v0 shows it.
        var final = await host.User.TaskforceAsync(uuid);
        AssertJson(LogOf(final)[^1], events[^1].Json["last_log"]);
        var deactivated = events.Single(e => IsWorkflowChange(e, "deactivated")).Json;
        Assert.Equal("FINISHED", Text(deactivated["workflow"]!["deactivated"]));
        Assert.True(events.All(e => e.Json["timestamp"]!.GetValue<double>() > 0));
    }

    [Fact]
    public async Task EachGenerationShowsTheWorkflowItsOwnWay()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var created = await host.CreateStartableAsync(SimpleWorkflow(Alpha));
        var id = WorkflowId(created);
        await host.WaitForWorkflowAsync(id, wf => wf["mq_activated_ts"] is not null, "its queues activated");

        var (v0, v0Snapshot) = await OpenWithSnapshotAsync(host.Server.Http, id, "v0");
        var (v1, v1Snapshot) = await OpenWithSnapshotAsync(host.Server.Http, id, "v1");
        await using (v0)
        await using (v1)
        {
            AssertJson(await host.User.WorkflowAsync(id), v0Snapshot["workflow"]);
            AssertJson((await host.User.GetAsync($"v1/workflows/{id}")).Body, v1Snapshot["workflow"]);
            Assert.Null(v1Snapshot["workflow"]!["mq_activated_ts"]);
            AssertJson(v0Snapshot["taskforces"], v1Snapshot["taskforces"]);

            Assert.Equal(200, (await host.User.AbortAsync(id)).Status);
            var onV0 = (await v0.ReadUntilAsync(e => IsWorkflowChange(e, "deactivated"), Deadline))[^1];
            var onV1 = (await v1.ReadUntilAsync(e => IsWorkflowChange(e, "deactivated"), Deadline))[^1];
            Assert.Equal(onV0.Id, onV1.Id);
            AssertJson(await host.User.WorkflowAsync(id), onV0.Json["workflow"]);
            AssertJson((await host.User.GetAsync($"v1/workflows/{id}")).Body, onV1.Json["workflow"]);
        }
    }

    [Fact]
    public async Task AddedWorkersAreTold()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var created = await host.CreateStartableAsync(SimpleWorkflow(Alpha));
        var (stream, _) = await OpenWithSnapshotAsync(host.Server.Http, WorkflowId(created));
        await using var _ = stream;

        var added = await host.User.AddWorkersAsync(TaskIds(created).Single(), Beta, 4);
        Assert.Equal(200, added.Status);
        var uuid = Text(added.Object["taskforce_uuid"]);

        var events = await stream.ReadUntilAsync(e => MovedTo(e, PendingStarter) && Text(e.Json["taskforce_uuid"]) == uuid, Deadline);
        if (!events.Any(e => IsWorkflowChange(e, "workers-added")))
        {
            // Launch control may have been quicker than the workflow's word.
            events.AddRange(await stream.ReadUntilAsync(e => IsWorkflowChange(e, "workers-added"), Deadline));
        }
        var told = events.Select(Describe).ToList();
        Assert.Equal(
            ["taskforce phase (new)>pre-mq-activation", "taskforce phase pre-mq-activation>pre-launch",
                "taskforce phase pre-launch>pending-starter"],
            told.Where(d => d.StartsWith("taskforce", StringComparison.Ordinal)));
        // The workflow says so once the taskforce is made and its queues set.
        Assert.True(told.IndexOf("workflow workers-added") > told.IndexOf("taskforce phase pre-mq-activation>pre-launch"));
        Assert.Equal(4, events[0].Json["n_workers"]!.GetValue<long>());
        Assert.All(events.Where(e => e.Name == "taskforce"), e => Assert.Equal(uuid, Text(e.Json["taskforce_uuid"])));
        Assert.Equal(WmsServer.BetaSchedd, Text(events[0].Json["schedd"]));
    }

    [Fact]
    public async Task AnUnknownWorkflowIsNotFoundBeforeAnyEvent()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var created = await host.User.CreateWorkflowAsync(SimpleWorkflow(Alpha));
        var unknownShaped = WorkflowId(created)[..^8] + "00000000";

        foreach (var generation in new[] { "v0", "v1" })
        {
            foreach (var unknown in new[] { unknownShaped, "not-a-workflow" })
            {
                await using var stream = await EventStreamClient.OpenAsync(host.Server.Http, EventsPath(unknown, generation));
                Assert.Equal(System.Net.HttpStatusCode.NotFound, stream.Status);
                AssertJson(new JsonObject { ["code"] = 404, ["error"] = $"no workflow found with id: {unknown}" },
                    JsonNode.Parse(await stream.ReadBodyAsync()));
            }
        }
    }
}

public sealed class EventsLifecycleTestsInMemory : EventsLifecycleTests
{
    protected override StorageMode Mode => StorageMode.Memory;
}

public sealed class EventsLifecycleTestsOnPostgres : EventsLifecycleTests
{
    protected override StorageMode Mode => StorageMode.Postgres;
}
