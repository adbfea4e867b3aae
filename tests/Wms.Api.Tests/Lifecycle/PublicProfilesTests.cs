using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;
using Wms.Testing;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.Lifecycle;

/// <summary>The public-profile read (an extension): users get their public queues' tokens from the WMS host.</summary>
public abstract class PublicProfilesTests
{
    protected abstract StorageMode Mode { get; }

    [Fact]
    public async Task TheConfiguredMqsAnswerIsPassedThrough()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var mqs = host.FakeMqs;
        var letIn = 0;
        mqs.ActivationPolicy = _ => Volatile.Read(ref letIn) == 1 ? ActivationOutcome.Grant : ActivationOutcome.TryAgainLater();
        using var direct = new HttpClient { BaseAddress = mqs.BaseAddress };

        var created = await host.User.CreateWorkflowAsync(
            Workflow([Task([Alpha], ["events"], ["results", "monitoring"])], ["results", "monitoring"]));
        var workflowId = WorkflowId(created);
        await host.WaitForWorkflowAsync(workflowId, w => w.ContainsKey("_mq_activation_retry_at_ts"), "a retry time");

        var before = await host.User.PublicProfilesAsync(workflowId);
        Assert.Single(mqs.PublicProfileReads);
        AssertJson(await ReadDirectAsync(direct, workflowId), before);
        Assert.Equal(["monitoring", "results"], before.Select(p => Text(p!["alias"])).Order(StringComparer.Ordinal));
        Assert.All(before, p =>
        {
            Assert.True(p!["is_public"]!.GetValue<bool>());
            Assert.False(p["is_activated"]!.GetValue<bool>());
            Assert.Null(p["auth_token"]);
        });

        Volatile.Write(ref letIn, 1);
        var uuid = TaskforceUuids(created).Single();
        var taskforce = await host.WaitForPhaseAsync(uuid, PendingStarter);
        var after = await host.User.PublicProfilesAsync(workflowId);
        AssertJson(await ReadDirectAsync(direct, workflowId), after);
        Assert.Equal(2, after.Count);
        var environment = taskforce["pilot_config"]!["environment"]!;
        var outgoing = ((JsonArray)environment["EWMS_PILOT_QUEUE_OUTGOING"]!).Select(Text).ToList();
        var tokens = ((JsonArray)environment["EWMS_PILOT_QUEUE_OUTGOING_AUTH_TOKEN"]!).Select(Text).ToList();
        foreach (var profile in after)
        {
            Assert.True(profile!["is_activated"]!.GetValue<bool>());
            var index = outgoing.IndexOf(Text(profile["mqid"]));
            Assert.True(index >= 0, $"public queue {profile["mqid"]} is not among the task's output queues");
            Assert.Equal(tokens[index], Text(profile["auth_token"]));
        }

        var unknown = await host.User.PublicProfilesAsync("WF-00000000-00000000");
        Assert.Empty(unknown);
        // Every read through the WMS went to the configured MQS: three, besides the test's two direct reads.
        Assert.Equal(5, mqs.PublicProfileReads.Count);
    }

    [Fact]
    public async Task TheEmbeddedMqsAnswersPublicProfilesItself()
    {
        await using var host = await LifecycleHost.StartEmbeddedAsync(Mode);
        var created = await host.CreateStartableAsync(Workflow([Task([Alpha, Beta], ["events"], ["results"])], ["results"]));
        var workflowId = WorkflowId(created);
        var directive = await host.User.TaskDirectiveAsync(TaskIds(created).Single());
        var taskforce = await host.User.TaskforceAsync(TaskforceUuids(created)[0]);
        var environment = taskforce["pilot_config"]!["environment"]!;

        var profiles = await host.User.PublicProfilesAsync(workflowId);
        var profile = (JsonObject)Assert.Single(profiles)!;
        Assert.Equal("results", Text(profile["alias"]));
        Assert.Equal(Text(directive["output_queues"]![0]), Text(profile["mqid"]));
        Assert.True(profile["is_public"]!.GetValue<bool>());
        Assert.True(profile["is_activated"]!.GetValue<bool>());
        Assert.Equal(Text(environment["EWMS_PILOT_QUEUE_OUTGOING_AUTH_TOKEN"]![0]), Text(profile["auth_token"]));
        Assert.Equal(Text(environment["EWMS_PILOT_QUEUE_OUTGOING_BROKER_TYPE"]![0]), Text(profile["broker_type"]));
        Assert.Equal(Text(environment["EWMS_PILOT_QUEUE_OUTGOING_BROKER_ADDRESS"]![0]), Text(profile["broker_address"]));
        Assert.False(string.IsNullOrEmpty(Text(profile["auth_token"])));

        Assert.Empty(await host.User.PublicProfilesAsync("WF-00000000-00000000"));
    }

    private static async Task<JsonNode?> ReadDirectAsync(HttpClient direct, string workflowId)
    {
        var text = await direct.GetStringAsync($"v1/mqs/workflows/{workflowId}/mq-profiles/public");
        return JsonNode.Parse(text)!["mqprofiles"];
    }
}

public sealed class PublicProfilesTestsInMemory : PublicProfilesTests
{
    protected override StorageMode Mode => StorageMode.Memory;
}

public sealed class PublicProfilesTestsOnPostgres : PublicProfilesTests
{
    protected override StorageMode Mode => StorageMode.Postgres;
}
