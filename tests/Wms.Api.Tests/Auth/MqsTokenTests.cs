using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Wms.Api.Tests.BadInput;
using Wms.GrainInterfaces.Mqs;
using Wms.Grains.Mqs;
using Wms.Testing;

namespace Wms.Api.Tests.Auth;

/// <summary>The WMS's own credentials for the MQS: OAuth2 client credentials against a local token endpoint.</summary>
public sealed class MqsTokenTests
{
    private static MqsTokenSource Source(TokenEndpoint endpoint, TimeProvider time, PlainHttpClients clients) =>
        Source(endpoint.Url, time, clients);

    private static MqsTokenSource Source(string tokenUrl, TimeProvider time, PlainHttpClients clients) =>
        Source(new MqsOptions
        {
            Address = "http://127.0.0.1:1/",
            TokenUrl = tokenUrl,
            ClientId = TokenEndpoint.ClientId,
            ClientSecret = TokenEndpoint.ClientSecret,
            RequestTimeout = TimeSpan.FromSeconds(5),
        }, time, clients);

    private static MqsTokenSource Source(MqsOptions options, TimeProvider time, PlainHttpClients clients) =>
        new(clients, Options.Create(options), time, NullLogger<MqsTokenSource>.Instance);

    [Fact]
    public async Task FetchedOnceAndReusedByEveryCaller()
    {
        await using var endpoint = await TokenEndpoint.StartAsync();
        using var clients = new PlainHttpClients();
        var source = Source(endpoint, new ManualTime(DateTimeOffset.UnixEpoch), clients);

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => source.GetAsync(CancellationToken.None)));
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(TokenEndpoint.TokenNumber(1), await source.GetAsync(CancellationToken.None));
        }

        Assert.All(concurrent, t => Assert.Equal(TokenEndpoint.TokenNumber(1), t));
        var request = Assert.Single(endpoint.Requests);
        Assert.Equal("client_credentials", request["grant_type"]);
        Assert.Equal(TokenEndpoint.ClientId, request["client_id"]);
        Assert.Equal(TokenEndpoint.ClientSecret, request["client_secret"]);
    }

    [Fact]
    public async Task RenewedThirtySecondsBeforeItExpires()
    {
        await using var endpoint = await TokenEndpoint.StartAsync();
        endpoint.ExpiresIn = 100;
        using var clients = new PlainHttpClients();
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var source = Source(endpoint, time, clients);

        Assert.Equal(TokenEndpoint.TokenNumber(1), await source.GetAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(69));
        Assert.Equal(TokenEndpoint.TokenNumber(1), await source.GetAsync(CancellationToken.None));
        Assert.Single(endpoint.Requests);

        time.Advance(TimeSpan.FromSeconds(2)); // 71 s: within 30 s of expiry
        Assert.Equal(TokenEndpoint.TokenNumber(2), await source.GetAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(69));
        Assert.Equal(TokenEndpoint.TokenNumber(2), await source.GetAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(TokenEndpoint.TokenNumber(3), await source.GetAsync(CancellationToken.None));
        Assert.Equal(3, endpoint.Requests.Count);
    }

    [Fact]
    public async Task ATokenTooShortLivedToCacheIsFetchedEachTime()
    {
        await using var endpoint = await TokenEndpoint.StartAsync();
        endpoint.ExpiresIn = 20;
        using var clients = new PlainHttpClients();
        var source = Source(endpoint, new ManualTime(DateTimeOffset.UnixEpoch), clients);

        Assert.Equal(TokenEndpoint.TokenNumber(1), await source.GetAsync(CancellationToken.None));
        Assert.Equal(TokenEndpoint.TokenNumber(2), await source.GetAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AFailingEndpointIsAnMqsErrorThatNamesNoSecretAndPassesWhenItRecovers()
    {
        await using var endpoint = await TokenEndpoint.StartAsync();
        using var clients = new PlainHttpClients();
        var source = Source(endpoint, new ManualTime(DateTimeOffset.UnixEpoch), clients);
        endpoint.FailWith(503);

        var e = await Assert.ThrowsAsync<MqsException>(() => source.GetAsync(CancellationToken.None));
        Assert.Equal("the MQS token endpoint answered 503", e.Message);
        Assert.DoesNotContain(TokenEndpoint.ClientSecret, e.ToString(), StringComparison.Ordinal);

        endpoint.Recover();
        Assert.Equal(TokenEndpoint.TokenNumber(1), await source.GetAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AnUnreachableEndpointIsAnMqsErrorInPlainWords()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var clients = new PlainHttpClients();
        var source = Source(new MqsOptions
        {
            TokenUrl = $"http://127.0.0.1:{port}/token",
            ClientId = "id",
            ClientSecret = TokenEndpoint.ClientSecret,
        }, TimeProvider.System, clients);

        var e = await Assert.ThrowsAsync<MqsException>(() => source.GetAsync(CancellationToken.None));
        // Discovery is asked first, so the issuer is named; which of the two it is cannot be told.
        Assert.Equal("the MQS token issuer refused the connection or could not be reached", e.Message);
        Assert.Null(Answers.InternalsProblem(e.Message));
    }

    [Fact]
    public async Task NoTokenUrlMeansNoToken()
    {
        using var clients = new PlainHttpClients();
        var source = Source(new MqsOptions(), TimeProvider.System, clients);
        Assert.Null(await source.GetAsync(CancellationToken.None));
    }

    [Fact]
    public async Task TheBearerTokenReachesTheMqsOnEveryCall()
    {
        await using var endpoint = await TokenEndpoint.StartAsync();
        await using var mqs = await FakeMqs.StartAsync();
        using var clients = new PlainHttpClients();
        var options = Options.Create(new MqsOptions
        {
            Address = mqs.BaseAddress.ToString(),
            TokenUrl = endpoint.Url,
            ClientId = TokenEndpoint.ClientId,
            ClientSecret = TokenEndpoint.ClientSecret,
        });
        var client = new HttpMqsClient(new HttpClient(), Source(options.Value, TimeProvider.System, clients), options);

        await client.ReserveAsync("WF-6650a1b2-00000001", ["in", "out"], ["in"], CancellationToken.None);
        await client.ActivateAsync("WF-6650a1b2-00000001", 10, [], CancellationToken.None);
        await client.GetPublicProfilesAsync("WF-6650a1b2-00000001", null, CancellationToken.None);

        Assert.Equal(3, mqs.Calls.Count);
        Assert.All(mqs.Calls, c => Assert.Equal("Bearer " + TokenEndpoint.TokenNumber(1), c.Authorization));
        Assert.Single(endpoint.Requests);

        // A user's own token, when given, goes in place of the service's.
        await client.GetPublicProfilesAsync("WF-6650a1b2-00000001", "a-users-token", CancellationToken.None);
        Assert.Equal("Bearer a-users-token", mqs.PublicProfileReads[^1].Authorization);
        Assert.Single(endpoint.Requests);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    public async Task TheIssuerUrlLeadsToTheTokenEndpointItsDiscoveryNamesOnce(string suffix)
    {
        await using var issuer = await OpenIdTestIssuer.StartAsync();
        using var clients = new PlainHttpClients();
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var source = Source(issuer.IssuerUrl + suffix, time, clients);

        var token = await source.GetAsync(CancellationToken.None);

        var claims = await issuer.Minter.ValidateAsync(token!);
        Assert.NotNull(claims);
        Assert.True(claims.HasClaim("ewms_role", "system-wms"));
        Assert.Equal((1, 1), (issuer.DiscoveryReads, issuer.TokensIssued));

        // A renewal goes straight to the endpoint found.
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.NotNull(await source.GetAsync(CancellationToken.None));
        Assert.Equal((1, 2), (issuer.DiscoveryReads, issuer.TokensIssued));
    }

    [Fact]
    public async Task AFailedDiscoveryIsAnMqsErrorAndIsTriedAgain()
    {
        await using var issuer = await OpenIdTestIssuer.StartAsync();
        using var clients = new PlainHttpClients();
        var source = Source(issuer.IssuerUrl, TimeProvider.System, clients);
        issuer.Down = true;

        var e = await Assert.ThrowsAsync<MqsException>(() => source.GetAsync(CancellationToken.None));
        Assert.Equal("the MQS token issuer's discovery answered 503", e.Message);
        Assert.Equal(0, issuer.TokensIssued);

        issuer.Down = false;
        Assert.NotNull(await source.GetAsync(CancellationToken.None));
        Assert.Equal((2, 1), (issuer.DiscoveryReads, issuer.TokensIssued));
    }

    /// <summary>
    /// The original service's setting: MQS_TOKEN_URL is the realm, and the MQS admits only tokens that hold the
    /// system-wms role. A workflow is created and activated, and the log says where the tokens come from.
    /// </summary>
    [Fact]
    public async Task TheIssuerAsTokenUrlGivesTokensAnMqsCheckingRolesAccepts()
    {
        await using var issuer = await OpenIdTestIssuer.StartAsync();
        await using var mqs = await FakeMqs.StartAsync();
        mqs.TokenValidator = issuer.Minter.ValidateAsync;
        await using var host = await LoggedHost.StartAsync(s =>
        {
            s["MQS_ADDRESS"] = mqs.BaseAddress.ToString();
            issuer.ConfigureMqsCredentials(s);
        });

        var created = await host.Http.PostAsync("v0/workflows", Json(ValidWorkflow.Body()));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var uuid = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["taskforces"]![0]!["taskforce_uuid"]!.GetValue<string>();
        string? phase = null;
        Assert.True(await Poll.UntilAsync(async () =>
        {
            phase = (await GetAsync(host, $"v0/taskforces/{uuid}"))["phase"]!.GetValue<string>();
            return phase == "pending-starter";
        }, TimeSpan.FromSeconds(30)), $"the taskforce stayed in {phase}");

        Assert.Equal(MqsCallOutcome.Reserved, Assert.Single(mqs.Reservations).Outcome);
        Assert.Equal(MqsCallOutcome.Granted, Assert.Single(mqs.Activations).Outcome);
        Assert.Equal(1, issuer.TokensIssued);
        Assert.Single(host.Logs.Lines, l => l.Message.Contains(
            $"MQS tokens come from the token endpoint {issuer.TokenEndpointUrl}, named by the discovery document at {issuer.IssuerUrl}/.well-known/openid-configuration",
            StringComparison.Ordinal));
        Assert.Empty(host.Logs.Containing(TokenEndpoint.ClientSecret));
    }

    [Fact]
    public async Task AFailingTokenEndpointDelaysActivationWithoutLosingTheWorkflow()
    {
        await using var endpoint = await TokenEndpoint.StartAsync();
        await using var mqs = await FakeMqs.StartAsync();
        // Too short-lived to cache: every MQS call asks for a token, so the failure hits the activation itself.
        endpoint.ExpiresIn = 30;
        endpoint.FailAfter(1, 503);
        await using var host = await LoggedHost.StartAsync(s =>
        {
            s["MQS_ADDRESS"] = mqs.BaseAddress.ToString();
            s["MQS_TOKEN_URL"] = endpoint.Url;
            s["MQS_CLIENT_ID"] = TokenEndpoint.ClientId;
            s["MQS_CLIENT_SECRET"] = TokenEndpoint.ClientSecret;
        });

        var created = await host.Http.PostAsync("v0/workflows", Json(ValidWorkflow.Body()));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var creation = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        var workflowId = creation["workflow"]!["workflow_id"]!.GetValue<string>();
        var uuid = creation["taskforces"]![0]!["taskforce_uuid"]!.GetValue<string>();
        Assert.Equal("Bearer " + TokenEndpoint.TokenNumber(1), Assert.Single(mqs.Reservations).Authorization);

        // While the token endpoint fails, activation is tried again and again, and never reaches the MQS.
        Assert.True(await Poll.UntilAsync(() => endpoint.Requests.Count >= 3, TimeSpan.FromSeconds(30)),
            $"only {endpoint.Requests.Count} token requests");
        Assert.Empty(mqs.Activations);
        var workflow = await GetAsync(host, $"v0/workflows/{workflowId}");
        Assert.Null(workflow["mq_activated_ts"]);
        Assert.Null(workflow["deactivated"]);
        Assert.Equal("pre-mq-activation", (await GetAsync(host, $"v0/taskforces/{uuid}"))["phase"]!.GetValue<string>());

        endpoint.Recover();
        string? phase = null;
        Assert.True(await Poll.UntilAsync(async () =>
        {
            phase = (await GetAsync(host, $"v0/taskforces/{uuid}"))["phase"]!.GetValue<string>();
            return phase == "pending-starter";
        }, TimeSpan.FromSeconds(30)), $"the taskforce stayed in {phase}");
        Assert.NotNull((await GetAsync(host, $"v0/workflows/{workflowId}"))["mq_activated_ts"]);
        var activation = Assert.Single(mqs.Activations);
        Assert.Equal("Bearer " + TokenEndpoint.TokenNumber(2), activation.Authorization);

        // The failures were logged, in words and without the secret the endpoint echoed.
        Assert.Contains(host.Logs.Lines, l => l.Message.Contains("the MQS token endpoint answered 503", StringComparison.Ordinal));
        Assert.Empty(host.Logs.Containing(TokenEndpoint.ClientSecret));
        Assert.Empty(host.Logs.Containing(TokenEndpoint.TokenNumber(1)));
        Assert.Empty(host.Logs.Containing(TokenEndpoint.TokenNumber(2)));
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    private static async Task<JsonNode> GetAsync(LoggedHost host, string path)
    {
        using var response = await host.Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!;
    }
}
