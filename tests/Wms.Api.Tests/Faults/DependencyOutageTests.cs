using System.Text.Json.Nodes;
using Npgsql;
using Wms.Api.Tests.Infrastructure;
using Wms.Api.Tests.Lifecycle;
using Wms.Testing;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.Faults;

/// <summary>
/// A dependency that is away for a while (the database refusing connections) answers 503 with a Retry-After, in
/// the contract's error body, to reads and writes alike; and the service answers again once it is back.
/// </summary>
public sealed class DependencyOutageTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ADatabaseOutageAnswers503WithRetryAfterAndTheServiceRecovers()
    {
        var server = await PostgresServer.SharedAsync();
        var database = await server.CreateDatabaseAsync("wms_api");
        var name = new NpgsqlConnectionStringBuilder(database).Database!;
        await using var host = await LifecycleHost.StartEmbeddedAsync(StorageMode.Postgres, s => s["WMS_POSTGRES"] = database);
        var created = await host.User.CreateWorkflowAsync(SimpleWorkflow(Alpha));
        var workflowId = WorkflowId(created);

        await AdminAsync(server, $"""ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false""");
        try
        {
            await AdminAsync(server, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'");

            foreach (var (method, path, body) in new (HttpMethod, string, JsonObject?)[]
            {
                (HttpMethod.Get, $"v0/workflows/{workflowId}", null),
                (HttpMethod.Get, $"v0/tms/pending-starter/taskforces?collector={WmsServer.AlphaCollector}&schedd={WmsServer.AlphaSchedd}", null),
                (HttpMethod.Post, "v0/workflows", SimpleWorkflow(Alpha)),
                (HttpMethod.Post, "v0/query/taskforces", new JsonObject { ["query"] = new JsonObject { ["workflow_id"] = workflowId } }),
            })
            {
                using var request = new HttpRequestMessage(method, path);
                if (body is not null)
                {
                    request.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
                }
                using var response = await host.Server.Http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(503 == (int)response.StatusCode, $"{method} /{path} answered {(int)response.StatusCode}: {text}");
                Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 }, $"{method} /{path} has no Retry-After");
                var error = JsonNode.Parse(text)!.AsObject();
                Assert.Equal(503, error["code"]!.GetValue<int>());
                Assert.Equal("the database is unavailable; try again", error["error"]!.GetValue<string>());
            }
        }
        finally
        {
            await AdminAsync(server, $"""ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true""");
        }

        Assert.True(await Poll.UntilAsync(async () => (await host.User.GetWorkflowAsync(workflowId)).Status == 200, Deadline));
        Assert.Equal(200, (await host.User.PostAsync("v0/workflows", SimpleWorkflow(Alpha))).Status);
    }

    private static async Task AdminAsync(PostgresServer server, string sql)
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
