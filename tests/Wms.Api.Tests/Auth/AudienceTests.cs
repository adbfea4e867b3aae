using System.Net.Http.Headers;

namespace Wms.Api.Tests.Auth;

/// <summary>
/// AUTH_AUDIENCE as in the original service: set, every token must name it; unset, tokens for any audience pass,
/// as Keycloak's client-credential tokens often name only "account", or nothing, and the TMS must not die on 403.
/// </summary>
public sealed class AudienceTests
{
    private const string Poll = "v0/tms/pending-starter/taskforces?collector=COLLECTOR1&schedd=SCHEDD1";

    [Fact]
    public async Task WithoutAnAudienceTokensWithNoneOrAnotherOnePassAndTheLogWarns()
    {
        var minter = TokenMinter.Symmetric();
        await using var host = await LoggedHost.StartAsync(s =>
        {
            minter.Configure(s);
            s["AUTH_AUDIENCE"] = null;
        });

        Assert.Equal(200, await StatusAsync(host, minter.TmsFor(null)));
        Assert.Equal(200, await StatusAsync(host, minter.TmsFor("account")));
        Assert.Equal(403, await StatusAsync(host, minter.Expired()));
        Assert.Contains(host.Logs.Lines, l => l.Message.Contains("AUTH_AUDIENCE is not set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithAnAudienceOnlyTokensNamingItPass()
    {
        var minter = TokenMinter.Symmetric();
        await using var host = await LoggedHost.StartAsync(minter.Configure);

        Assert.Equal(200, await StatusAsync(host, minter.Tms()));
        Assert.Equal(403, await StatusAsync(host, minter.TmsFor(null)));
        Assert.Equal(403, await StatusAsync(host, minter.TmsFor("account")));
    }

    [Fact]
    public async Task ATokenFromAClockAMinuteAheadStillPasses()
    {
        var minter = TokenMinter.Symmetric();
        await using var host = await LoggedHost.StartAsync(minter.Configure);
        var ahead = minter.Mint("tms-fast-clock", new Dictionary<string, object> { ["ewms_role"] = "system-tms" },
            expires: DateTime.UtcNow.AddHours(1), notBefore: DateTime.UtcNow.AddSeconds(50));

        Assert.Equal(200, await StatusAsync(host, ahead));
    }

    private static async Task<int> StatusAsync(LoggedHost host, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Poll);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await host.Http.SendAsync(request);
        return (int)response.StatusCode;
    }
}
