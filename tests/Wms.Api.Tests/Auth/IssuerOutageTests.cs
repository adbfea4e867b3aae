using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Wms.Testing;

namespace Wms.Api.Tests.Auth;

/// <summary>
/// An issuer whose discovery cannot be read makes tokens uncheckable, not wrong: 503 with a Retry-After, and the
/// discovery is tried again, not remembered as a failure, so the service answers once the issuer is back.
/// </summary>
public sealed class IssuerOutageTests
{
    [Fact]
    public async Task AnUnreachableIssuerAnswers503AndDiscoveryIsTriedAgain()
    {
        await using var issuer = await OpenIdTestIssuer.StartAsync();
        issuer.Down = true;
        await using var host = await LoggedHost.StartAsync(issuer.Configure);
        var token = issuer.Minter.Tms();

        var (status, body, retryAfter) = await PollAsync(host, token);
        Assert.Equal(503, status);
        Assert.Equal("the token issuer (AUTH_OPENID_URL) could not be reached to check the token; try again",
            body["error"]!.GetValue<string>());
        Assert.NotNull(retryAfter);

        issuer.Down = false;
        Assert.True(await Poll.UntilAsync(async () => (await PollAsync(host, token)).Status == 200, TimeSpan.FromSeconds(30)),
            "the service never read the issuer again");
        Assert.Equal(403, (await PollAsync(host, issuer.Minter.Expired())).Status);
    }

    private static async Task<(int Status, JsonObject Body, TimeSpan? RetryAfter)> PollAsync(LoggedHost host, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v0/tms/pending-starter/taskforces?collector=COLLECTOR1&schedd=SCHEDD1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await host.Http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject ?? [];
        return ((int)response.StatusCode, body, response.Headers.RetryAfter?.Delta);
    }
}
