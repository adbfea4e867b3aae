using System.Net;
using System.Text.Json.Nodes;
using Wms.Api.Tests.Auth;
using Wms.Api.Tests.Infrastructure;
using Wms.Testing;
using static Wms.Api.Tests.Lifecycle.Flow;
using static Wms.Api.Tests.Watch.Watching;

namespace Wms.Api.Tests.Watch;

/// <summary>
/// With authentication on, watching a workflow takes what reading it takes: a valid token with the user role. No
/// token, or a bad one, is refused before anything else; a token without the role too; the user gets the stream.
/// </summary>
public sealed class EventsAuthTests
{
    [Fact]
    public async Task OnlyAUsersTokenGetsTheStream()
    {
        var minter = TokenMinter.Symmetric();
        await using var server = await WmsServer.StartAsync(minter.Configure);
        var created = await PostAsync(server, minter.User(), "v0/workflows", SimpleWorkflow(Alpha));
        var id = WorkflowId(created);

        foreach (var (authorization, error) in new (string?, string)[]
        {
            (null, "authentication failed"),
            ("Bearer " + minter.Expired(), "authentication failed"),
            ("Bearer " + minter.WrongSignature(), "authentication failed"),
            ("Bearer " + minter.NoRole(), "authorization failed"),
            ("Bearer " + minter.Tms(), "authorization failed"),
        })
        {
            foreach (var generation in new[] { "v0", "v1" })
            {
                await using var refused = await EventStreamClient.OpenAsync(server.Http, EventsPath(id, generation),
                    authorization: authorization);
                Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
                AssertJson(new JsonObject { ["code"] = 403, ["error"] = error }, JsonNode.Parse(await refused.ReadBodyAsync()));
            }
        }

        foreach (var user in new[] { minter.User(), minter.UserByRole(), minter.UserByDevGroup() })
        {
            await using var stream = await EventStreamClient.OpenAsync(server.Http, EventsPath(id), authorization: "Bearer " + user);
            Assert.Equal(HttpStatusCode.OK, stream.Status);
            var snapshot = await stream.NextAsync(Deadline);
            Assert.Equal("snapshot", snapshot!.Name);
            Assert.Equal(id, Text(snapshot.Json["workflow"]!["workflow_id"]));
        }
    }

    private static async Task<JsonObject> PostAsync(WmsServer server, string token, string path, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = System.Net.Http.Json.JsonContent.Create(body) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!.AsObject();
    }
}
