using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.Lifecycle;

public abstract class AddWorkersTests
{
    protected abstract StorageMode Mode { get; }

    [Fact]
    public async Task AddedWorkersJoinALiveWorkflowButNotADeactivatedOne()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var created = await host.CreateStartableAsync(SimpleWorkflow(Alpha));
        var workflowId = WorkflowId(created);
        var taskId = TaskIds(created).Single();
        var original = await host.User.TaskforceAsync(TaskforceUuids(created).Single());
        var directive = await host.User.TaskDirectiveAsync(taskId);
        Assert.Equal(PendingStarter, PhaseOf(original));

        var answer = await host.User.AddWorkersAsync(taskId, Beta, 7);
        Assert.Equal(200, answer.Status);
        var added = answer.Object;
        var uuid = Text(added["taskforce_uuid"]);
        Assert.NotEqual(Text(original["taskforce_uuid"]), uuid);
        Assert.StartsWith("TF-" + taskId[3..] + "-", uuid);
        Assert.Equal(taskId, Text(added["task_id"]));
        Assert.Equal(workflowId, Text(added["workflow_id"]));
        Assert.Equal(WmsServer.BetaCollector, Text(added["collector"]));
        Assert.Equal(WmsServer.BetaSchedd, Text(added["schedd"]));
        Assert.Equal(7, added["n_workers"]!.GetValue<int>());
        Assert.Null(added["cluster_id"]);
        AssertJson(original["worker_config"], added["worker_config"]);
        // The workflow's queues are active already, so the new taskforce carries them from the start.
        AssertJson(original["pilot_config"], added["pilot_config"]);
        Assert.True(((JsonObject)added["pilot_config"]!["environment"]!).ContainsKey("EWMS_PILOT_QUEUE_INCOMING_AUTH_TOKEN"));
        Assert.Contains(PhaseOf(added), new[] { PreLaunch, PendingStarter });

        var launched = await host.WaitForPhaseAsync(uuid, PendingStarter);
        AssertLog(launched, UpToPendingStarter);
        var offered = await host.Beta.PollPendingStarterAsync();
        Assert.Equal(uuid, Text(offered!["taskforce_uuid"]));
        Assert.Equal(Text(original["taskforce_uuid"]), Text((await host.Alpha.PollPendingStarterAsync())!["taskforce_uuid"]));
        AssertJson(directive, await host.User.TaskDirectiveAsync(taskId));

        (await host.User.AddWorkersAsync(taskId, "test-nowhere", 2)).AssertError(400, "condor location not found: test-nowhere");
        var unknownTask = taskId[..^8] + "00000000";
        (await host.User.AddWorkersAsync(unknownTask, Beta, 2)).AssertError(404, $"no task found with id: {unknownTask}");

        var abort = await host.User.AbortAsync(workflowId);
        AssertJson(new JsonObject { ["workflow_id"] = workflowId, ["n_taskforces"] = 2 }, abort.Body);
        var refused = await host.User.AddWorkersAsync(taskId, Beta, 2);
        Assert.Equal(422, refused.Status);
        Assert.Equal(refused.Object["error"]!.GetValue<string>(), refused.Reason);

        var all = await host.User.FindTaskforcesAsync(new JsonObject { ["workflow_id"] = workflowId }, "taskforce_uuid");
        Assert.Equal(
            new[] { Text(original["taskforce_uuid"]), uuid }.Order(StringComparer.Ordinal),
            all.Select(t => Text(t!["taskforce_uuid"])).Order(StringComparer.Ordinal));
        Assert.Null(await host.Beta.PollPendingStarterAsync());
    }
}

public sealed class AddWorkersTestsInMemory : AddWorkersTests
{
    protected override StorageMode Mode => StorageMode.Memory;
}

public sealed class AddWorkersTestsOnPostgres : AddWorkersTests
{
    protected override StorageMode Mode => StorageMode.Postgres;
}
