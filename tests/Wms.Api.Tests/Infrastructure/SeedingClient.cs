using System.Text.Json.Nodes;
using Wms.Testing;

namespace Wms.Api.Tests.Infrastructure;

/// <summary>The ids of a workflow created to seed a test's server.</summary>
public sealed record CreatedWorkflow(string WorkflowId, List<string> TaskIds, List<string> Taskforces);

/// <summary>
/// Seeds a server with workflows and waits for their taskforces, through whatever sends the requests (a plain
/// client, or one adding a token).
/// </summary>
public sealed class SeedingClient(Func<HttpMethod, string, string?, Task<HttpResponseMessage>> send, TimeSpan deadline)
{
    public async Task<CreatedWorkflow> CreateAsync(string body)
    {
        using var response = await send(HttpMethod.Post, "v0/workflows", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var created = JsonNode.Parse(text)!;
        return new CreatedWorkflow(
            created["workflow"]!["workflow_id"]!.GetValue<string>(),
            created["task_directives"]!.AsArray().Select(t => t!["task_id"]!.GetValue<string>()).ToList(),
            created["taskforces"]!.AsArray().Select(t => t!["taskforce_uuid"]!.GetValue<string>()).ToList());
    }

    public async Task WaitForPhasesAsync(IEnumerable<string> uuids, string phase)
    {
        foreach (var uuid in uuids)
        {
            string? seen = null;
            var reached = await Poll.UntilAsync(async () =>
            {
                using var response = await send(HttpMethod.Get, $"v0/taskforces/{uuid}", null);
                seen = response.IsSuccessStatusCode
                    ? JsonNode.Parse(await response.Content.ReadAsStringAsync())!["phase"]!.GetValue<string>()
                    : $"HTTP {(int)response.StatusCode}";
                return seen == phase;
            }, deadline);
            Assert.True(reached, $"taskforce {uuid} stayed in {seen}, not {phase}");
        }
    }
}
