using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;
using Wms.Testing;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.Lifecycle;

/// <summary>Failed submits and removals, up to and past TMS_ACTION_RETRIES (default 2).</summary>
public abstract class TmsRetryTests
{
    protected abstract StorageMode Mode { get; }

    [Fact]
    public async Task ATaskforceIsOfferedToTheStarterUntilItsThirdFailedSubmit()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var created = await host.CreateStartableAsync(SimpleWorkflow(Beta));
        var uuid = TaskforceUuids(created).Single();
        string[] errors =
        [
            "Failed to submit: HTCondor schedd unreachable",
            "SCHEDD:2:Failed to connect to <10.0.0.1:9618>",
            "ERROR: Can't find address of local schedd",
        ];
        for (var i = 0; i < errors.Length; i++)
        {
            Assert.Equal(uuid, Text((await host.Beta.PollPendingStarterAsync())!["taskforce_uuid"]));
            var answer = await host.Beta.FailSubmitAsync(uuid, errors[i]);
            AssertJson(new JsonObject { ["taskforce_uuid"] = uuid }, answer.Body);
        }
        Assert.Null(await host.Beta.PollPendingStarterAsync());

        var taskforce = await host.User.TaskforceAsync(uuid);
        Assert.Equal(PendingStarter, PhaseOf(taskforce));
        Assert.Null(taskforce["cluster_id"]);
        AssertLog(taskforce,
            [.. UpToPendingStarter, new(CondorSubmit, Tms, false), new(CondorSubmit, Tms, false), new(CondorSubmit, Tms, false)]);
        Assert.Equal(errors.Select(e => $"ERROR: {e}"), LogOf(taskforce).TakeLast(3).Select(e => Text(e["description"])));
    }

    [Fact]
    public async Task AtOneScheddTheTaskforceWithFewerFailedSubmitsGoesFirstOnEqualPriority()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var created = await host.CreateStartableAsync(Workflow(
        [
            Task([Alpha], ["a-in"], ["a-out"], workerPriority: 20),
            Task([Alpha], ["b-in"], ["b-out"], workerPriority: 20),
        ]));
        var first = Text((await host.Alpha.PollPendingStarterAsync())!["taskforce_uuid"]);
        var second = TaskforceUuids(created).Single(u => u != first);

        await host.Alpha.FailSubmitAsync(first, "schedd busy");
        Assert.Equal(second, Text((await host.Alpha.PollPendingStarterAsync())!["taskforce_uuid"]));
        await host.SubmitAsync(second);
        Assert.Equal(first, Text((await host.Alpha.PollPendingStarterAsync())!["taskforce_uuid"]));

        // Only a taskforce waiting in pending-starter may be submitted or fail to be.
        var notWaiting = await host.Alpha.SubmitAsync(second, 99_999, 3, accept: [404]);
        AssertTmsError(notWaiting, 404, $"no 'pending-starter' taskforce found with uuid: {second}");
        var failedNotWaiting = await host.Alpha.FailSubmitAsync(second, "late", accept: [404]);
        AssertTmsError(failedNotWaiting, 404, $"no 'pending-starter' taskforce found with uuid: {second}");
        var unknown = TaskforceUuids(created)[0][..^8] + "00000000";
        AssertTmsError(await host.Alpha.SubmitAsync(unknown, 99_998, 3, accept: [404]),
            404, $"no 'pending-starter' taskforce found with uuid: {unknown}");

        var submitted = await host.User.TaskforceAsync(second);
        Assert.Equal(CondorSubmit, PhaseOf(submitted));
        Assert.NotEqual(99_999, submitted["cluster_id"]!.GetValue<long>());
        AssertLog(submitted, [.. UpToPendingStarter, new(CondorSubmit, Tms)]);
        AssertLog(await host.User.TaskforceAsync(first), [.. UpToPendingStarter, new(CondorSubmit, Tms, false)]);
    }

    [Fact]
    public async Task ATaskforceIsOfferedToTheStopperUntilItsThirdFailedRemoval()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var created = await host.CreateStartableAsync(SimpleWorkflow(Alpha));
        var uuid = TaskforceUuids(created).Single();
        await host.SubmitAsync(uuid);
        var abort = await host.User.AbortAsync(WorkflowId(created));
        AssertJson(new JsonObject { ["workflow_id"] = WorkflowId(created), ["n_taskforces"] = 1 }, abort.Body);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(uuid, Text((await host.Alpha.PollPendingStopperAsync())!["taskforce_uuid"]));
            // The real TMS leaves out the "error" key here.
            var answer = await host.Alpha.FailRmAsync(uuid);
            AssertJson(new JsonObject { ["taskforce_uuid"] = uuid }, answer.Body);
        }
        Assert.Null(await host.Alpha.PollPendingStopperAsync());

        var taskforce = await host.User.TaskforceAsync(uuid);
        Assert.Equal(PendingStopper, PhaseOf(taskforce));
        AssertLog(taskforce,
        [
            .. UpToPendingStarter, new(CondorSubmit, Tms), new(PendingStopper, User),
            new(CondorRm, Tms, false), new(CondorRm, Tms, false), new(CondorRm, Tms, false),
        ]);
        Assert.All(LogOf(taskforce).TakeLast(3), e => Assert.Equal("ERROR: ", Text(e["description"])));
    }

    private static void AssertTmsError(TmsResponse response, int status, string error)
    {
        Assert.Equal(status, response.StatusCode);
        AssertJson(new JsonObject { ["code"] = status, ["error"] = error }, response.Body);
        Assert.Equal(error, response.ReasonPhrase);
    }
}

public sealed class TmsRetryTestsInMemory : TmsRetryTests
{
    protected override StorageMode Mode => StorageMode.Memory;
}

public sealed class TmsRetryTestsOnPostgres : TmsRetryTests
{
    protected override StorageMode Mode => StorageMode.Postgres;
}
