using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;
using Wms.Api.Tests.Lifecycle;
using Wms.Testing;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.V1;

/// <summary>Add-workers through <c>/v1</c>: upstream's priority boost, texts and answers.</summary>
public sealed class AddWorkersV1Tests
{
    [Fact]
    public async Task AddedWorkersGoFirstAndSayWhoAddedThem()
    {
        await using var host = await LifecycleHost.StartAsync(StorageMode.Memory);
        var user = new UserClient(host.Server.Http, V1Schema.Shared);
        var request = V1Flow.SimpleWorkflow(Alpha);
        request["priority"] = 30;
        var created = (await user.PostAsync("v1/workflows", request)).Object;
        var taskId = TaskIds(created).Single();
        var original = TaskforceUuids(created).Single();

        var answer = await user.PostAsync($"v1/task-directives/{taskId}/actions/add-workers",
            new JsonObject { ["cluster_location"] = Alpha, ["n_workers"] = 4 });
        Assert.Equal(200, answer.Status);
        var added = answer.Object;
        Assert.Equal(130, added["priority"]!.GetValue<int>());
        Assert.Null(added["collector"]);
        var entry = LogOf(added)[0];
        Assert.Equal("USER", entry["source_entity"]!.GetValue<string>());
        Assert.Equal("Created when adding more workers for this task directive.", entry["context"]!.GetValue<string>());

        // Both wait at one schedd: today's TMS is offered the added taskforce first.
        var uuid = added["taskforce_uuid"]!.GetValue<string>();
        foreach (var tf in new[] { original, uuid })
        {
            Assert.True(await Poll.UntilAsync(async () =>
                PhaseOf((await user.GetAsync($"v1/taskforces/{tf}")).Object) == PendingStarter, LifecycleHost.Deadline));
        }
        var offer = (await user.GetAsync($"v1/tms/pending-starter/taskforces?schedd={WmsServer.AlphaSchedd}")).Object;
        Assert.Equal(uuid, offer["taskforce"]!["taskforce_uuid"]!.GetValue<string>());

        // Upstream's answers for what cannot be done, with its 404 fixed.
        (await user.PostAsync($"v1/task-directives/{taskId}/actions/add-workers",
                new JsonObject { ["cluster_location"] = "nowhere", ["n_workers"] = 1 }))
            .AssertError(400, "condor cluster location not found: nowhere");
        var unknown = taskId[..^8] + "00000000";
        (await user.PostAsync($"v1/task-directives/{unknown}/actions/add-workers",
                new JsonObject { ["cluster_location"] = Alpha, ["n_workers"] = 1 }))
            .AssertError(404, $"no task found with id: {unknown}");
        var workflowId = WorkflowId(created);
        Assert.Equal(200, (await user.PostAsync($"v1/workflows/{workflowId}/actions/abort")).Status);
        (await user.PostAsync($"v1/task-directives/{taskId}/actions/add-workers",
                new JsonObject { ["cluster_location"] = Alpha, ["n_workers"] = 1 }))
            .AssertError(422, $"cannot add a taskforce to a deactivated workflow ({workflowId})");
    }
}
