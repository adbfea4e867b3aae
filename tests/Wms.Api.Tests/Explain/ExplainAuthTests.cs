using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Wms.Api.Tests.Auth;
using Wms.Api.Tests.Infrastructure;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.Explain;

/// <summary>
/// With authentication on, explanations admit whoever may read what they explain: a user for a workflow, a user or
/// the TMS for a taskforce; anyone else gets the contract's 403s.
/// </summary>
public sealed class ExplainAuthTests
{
    [Fact]
    public async Task WhoMayReadTheWorkflowOrTheTaskforceMayReadWhyAndNoOneElse()
    {
        var minter = TokenMinter.Symmetric();
        await using var server = await WmsServer.StartAsync(minter.Configure);
        var user = minter.User("alice");
        var tms = minter.Tms();
        var (createdStatus, created) = await SendAsync(server, user, HttpMethod.Post, "v0/workflows",
            SimpleWorkflow(Alpha).ToJsonString());
        Assert.Equal(200, createdStatus);
        var workflowId = WorkflowId(created!.AsObject());
        var uuid = TaskforceUuids(created.AsObject()).Single();

        foreach (var generation in new[] { "v0", "v1" })
        {
            var workflowRoute = $"{generation}/workflows/{workflowId}/explain";
            var taskforceRoute = $"{generation}/taskforces/{uuid}/explain";
            var (status, body) = await SendAsync(server, user, HttpMethod.Get, workflowRoute);
            Assert.Equal(200, status);
            Assert.Equal(uuid, Text(body!["taskforces"]![0]!["taskforce_uuid"]));
            Assert.Equal(200, (await SendAsync(server, user, HttpMethod.Get, taskforceRoute)).Status);
            Assert.Equal(200, (await SendAsync(server, tms, HttpMethod.Get, taskforceRoute)).Status);

            AssertRefused(await SendAsync(server, tms, HttpMethod.Get, workflowRoute), "authorization failed");
            AssertRefused(await SendAsync(server, minter.NoRole(), HttpMethod.Get, taskforceRoute), "authorization failed");
            AssertRefused(await SendAsync(server, null, HttpMethod.Get, workflowRoute), "authentication failed");
            AssertRefused(await SendAsync(server, minter.Expired(), HttpMethod.Get, taskforceRoute), "authentication failed");
        }
    }

    private static void AssertRefused((int Status, JsonNode? Body) answer, string error)
    {
        Assert.Equal(403, answer.Status);
        AssertJson(new JsonObject { ["code"] = 403, ["error"] = error }, answer.Body);
    }

    private static async Task<(int Status, JsonNode? Body)> SendAsync(
        WmsServer server, string? token, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text));
    }
}
