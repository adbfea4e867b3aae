using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Wms.Testing;

namespace Wms.Durability.Tests;

/// <summary>
/// A submission kicks the activation loop one-way, so the answer can come before the loop has registered its
/// reminder. A crash in that gap must not leave the workflow waiting for ever.
/// </summary>
public sealed class LoopRestartTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task AWorkflowLeftAwaitingActivationGoesOnAfterARestartWithoutAnyReminder()
    {
        var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        await using var mqs = await FakeMqs.StartAsync();
        var refusing = 1;
        mqs.ActivationPolicy = _ => Volatile.Read(ref refusing) == 1 ? ActivationOutcome.TryAgainLater() : ActivationOutcome.Grant;
        await using var silo = new SiloProcess(database, new Dictionary<string, string> { ["MQS_ADDRESS"] = mqs.BaseAddress.ToString() });
        await silo.StartAsync();

        using var response = await silo.Http.PostAsJsonAsync("v0/workflows", WorkflowShapes.Request(0));
        response.EnsureSuccessStatusCode();
        var id = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["workflow"]!["workflow_id"]!.GetValue<string>();
        Assert.True(await mqs.WaitForAsync(m => m.Activations.Any(a => a.WorkflowId == id), Deadline), silo.Output);
        await silo.KillAsync();

        // As if the crash had come before the loop registered its reminder.
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var forget = new NpgsqlCommand("DELETE FROM orleans.reminder", connection);
            await forget.ExecuteNonQueryAsync();
        }
        Volatile.Write(ref refusing, 0);
        await silo.StartAsync();

        Assert.True(await Poll.UntilAsync(async () =>
        {
            var workflow = await silo.Http.GetFromJsonAsync<JsonObject>($"v0/workflows/{id}");
            return workflow!["mq_activated_ts"] is not null;
        }, Deadline), silo.Output);
    }
}
