using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;
using Wms.Testing;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.Lifecycle;

/// <summary>
/// <c>Idempotency-Key</c> on the POSTs that make something: Python clients retry a POST on any 5xx, and a retry
/// with the key must answer the first answer without making anything again.
/// </summary>
public abstract class IdempotencyTests
{
    protected abstract StorageMode Mode { get; }

    [Fact]
    public async Task EightClientsSendingOneKeyAtOnceMakeOneWorkflowAndAllGetItsAnswer()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var body = SimpleWorkflow(Alpha).ToJsonString();
        var key = "retry-" + Guid.NewGuid();

        var answers = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostAsync(host.Server.Http, "v0/workflows", body, key)));

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.Single(answers.Select(a => a.Text).Distinct());
        var workflowId = WorkflowId((JsonObject)JsonNode.Parse(answers[0].Text)!);
        Assert.Single(host.FakeMqs.Reservations);
        Assert.Equal([workflowId], await AllWorkflowIdsAsync(host));
    }

    [Fact]
    public async Task ARetryLaterAnswersTheFirstAnswerEvenAfterTheWorkflowMovedOn()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var body = SimpleWorkflow(Alpha).ToJsonString();
        var first = await PostAsync(host.Server.Http, "v0/workflows", body, "k1");
        var created = (JsonObject)JsonNode.Parse(first.Text)!;
        await host.WaitForPhaseAsync(TaskforceUuids(created).Single(), PendingStarter);

        var again = await PostAsync(host.Server.Http, "v0/workflows", body, "k1");

        Assert.Equal(200, again.Status);
        Assert.Equal(first.Text, again.Text);
        Assert.Single(host.FakeMqs.Reservations);
    }

    [Fact]
    public async Task TheSameKeyWithAnotherBodyIsRefusedAndMakesNothing()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var first = await PostAsync(host.Server.Http, "v0/workflows", SimpleWorkflow(Alpha).ToJsonString(), "k2");
        Assert.Equal(200, first.Status);

        var other = await PostAsync(host.Server.Http, "v0/workflows", SimpleWorkflow(Beta).ToJsonString(), "k2");

        Assert.Equal(422, other.Status);
        var error = (JsonObject)JsonNode.Parse(other.Text)!;
        Assert.Equal(422, error["code"]!.GetValue<int>());
        Assert.Equal("this Idempotency-Key was used with a different request; use a new key for a new request",
            error["error"]!.GetValue<string>());
        Assert.Single(host.FakeMqs.Reservations);
        Assert.Single(await AllWorkflowIdsAsync(host));
    }

    [Fact]
    public async Task WithoutAKeyEachPostMakesItsOwnWorkflowAndAMalformedKeyIsABadRequest()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var body = SimpleWorkflow(Alpha).ToJsonString();

        Assert.Equal(200, (await PostAsync(host.Server.Http, "v0/workflows", body, null)).Status);
        Assert.Equal(200, (await PostAsync(host.Server.Http, "v0/workflows", body, null)).Status);
        var malformed = await PostAsync(host.Server.Http, "v0/workflows", body, new string('x', 256));

        Assert.Equal(400, malformed.Status);
        Assert.Contains("Idempotency-Key", malformed.Text);
        Assert.Equal(2, (await AllWorkflowIdsAsync(host)).Count);
    }

    [Fact]
    public async Task AddWorkersWithAKeyAddsOneTaskforceHoweverOftenItIsSent()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var created = await host.CreateStartableAsync(SimpleWorkflow(Alpha));
        var taskId = TaskIds(created).Single();
        var path = $"v0/task-directives/{taskId}/actions/add-workers";
        var body = new JsonObject { ["cluster_location"] = Beta, ["n_workers"] = 3 }.ToJsonString();

        var answers = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostAsync(host.Server.Http, path, body, "add-1")));
        var reused = await PostAsync(host.Server.Http, path,
            new JsonObject { ["cluster_location"] = Beta, ["n_workers"] = 4 }.ToJsonString(), "add-1");

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.Single(answers.Select(a => a.Text).Distinct());
        Assert.Equal(422, reused.Status);
        var all = await host.User.FindTaskforcesAsync(new JsonObject { ["task_id"] = taskId }, "taskforce_uuid");
        Assert.Equal(2, all.Count);
    }

    protected static async Task<(int Status, string Text)> PostAsync(HttpClient http, string path, string body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<List<string>> AllWorkflowIdsAsync(LifecycleHost host)
    {
        var answer = await host.User.PostAsync("v0/query/workflows",
            new JsonObject { ["query"] = new JsonObject(), ["projection"] = new JsonArray("workflow_id") });
        return [.. answer.Object["workflows"]!.AsArray().Select(w => Text(w!["workflow_id"]))];
    }
}

public sealed class IdempotencyTestsInMemory : IdempotencyTests
{
    protected override StorageMode Mode => StorageMode.Memory;
}

public sealed class IdempotencyTestsOnPostgres : IdempotencyTests
{
    protected override StorageMode Mode => StorageMode.Postgres;

    [Fact]
    public async Task AKeySurvivesARestartOfTheService()
    {
        var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("wms_api");
        await using var mqs = await FakeMqs.StartAsync();
        void Settings(Dictionary<string, string?> s)
        {
            s["MQS_ADDRESS"] = mqs.BaseAddress.ToString();
            s["WMS_POSTGRES"] = database;
        }
        var body = SimpleWorkflow(Alpha).ToJsonString();
        (int Status, string Text) first;
        await using (var before = await WmsServer.StartAsync(StorageMode.Postgres, Settings))
        {
            first = await PostAsync(before.Http, "v0/workflows", body, "across-restart");
        }

        await using var after = await WmsServer.StartAsync(StorageMode.Postgres, Settings);
        var again = await PostAsync(after.Http, "v0/workflows", body, "across-restart");

        Assert.Equal(200, first.Status);
        Assert.Equal((first.Status, first.Text), again);
        Assert.Single(mqs.Reservations);
    }
}
