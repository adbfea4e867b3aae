using System.Net;
using System.Text.Json.Nodes;
using Wms.Testing;

namespace Wms.Durability.Tests.Faults;

/// <summary>
/// What every fault test checks once the fault is over: each answered workflow reads back, is whole and was launched;
/// its queues were reserved once and activated once (twice only where the test lost a granted answer on purpose);
/// and no object lacks its workflow, nor any workflow its objects.
/// </summary>
public static class Recovered
{
    public static async Task AssertAllCompleteAsync(
        HttpClient http, IReadOnlyCollection<string> answered, FakeMqs mqs, TimeSpan deadline, string output,
        int maxGrants = 1)
    {
        Assert.True(await Poll.UntilAsync(async () =>
        {
            try
            {
                var waiting = await WorkflowShapes.FindAsync(http, "taskforces",
                    new JsonObject { ["phase"] = new JsonObject { ["$ne"] = "pending-starter" } }, "workflow_id");
                return waiting.All(t => !answered.Contains(t!["workflow_id"]!.GetValue<string>()));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Xunit.Sdk.XunitException)
            {
                return false;
            }
        }, deadline, TimeSpan.FromMilliseconds(250)), "not every answered workflow was launched:\n" + output);

        foreach (var id in answered)
        {
            using var read = await http.GetAsync($"v0/workflows/{id}");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            var workflow = JsonNode.Parse(await read.Content.ReadAsStringAsync())!;
            Assert.NotNull(workflow["mq_activated_ts"]);
            // MQS v1 answers a repeated reservation with the group the first made: a repeat reserves nothing more.
            Assert.Equal(1, mqs.Reservations.Count(c => c.WorkflowId == id && c.Outcome != MqsCallOutcome.ReservationRepeated));
            var grants = mqs.GrantedActivationOrder.Count(g => g == id);
            Assert.True(grants >= 1 && grants <= maxGrants, $"{id}'s queues were activated {grants} times");
        }
        await WorkflowShapes.AssertNothingHalfCreatedAsync(http, noOrphans: true);
    }
}
