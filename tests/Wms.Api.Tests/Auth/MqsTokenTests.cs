using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
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
        new(clients, Options.Create(new MqsOptions
        {
            Address = "http://127.0.0.1:1/",
            TokenUrl = endpoint.Url,
            ClientId = TokenEndpoint.ClientId,
            ClientSecret = TokenEndpoint.ClientSecret,
            RequestTimeout = TimeSpan.FromSeconds(5),
        }), time);

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
        var source = new MqsTokenSource(clients, Options.Create(new MqsOptions
        {
            TokenUrl = $"http://127.0.0.1:{port}/token",
            ClientId = "id",
            ClientSecret = TokenEndpoint.ClientSecret,
        }), TimeProvider.System);

        var e = await Assert.ThrowsAsync<MqsException>(() => source.GetAsync(CancellationToken.None));
        Assert.StartsWith("the MQS token endpoint ", e.Message, StringComparison.Ordinal);
        Assert.Null(Answers.InternalsProblem(e.Message));
    }

    [Fact]
    public async Task NoTokenUrlMeansNoToken()
    {
        using var clients = new PlainHttpClients();
        var source = new MqsTokenSource(clients, Options.Create(new MqsOptions()), TimeProvider.System);
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
        var client = new HttpMqsClient(new HttpClient(), new MqsTokenSource(clients, options, TimeProvider.System), options);

        await client.ReserveAsync("WF-6650a1b2-00000001", ["in", "out"], ["in"], CancellationToken.None);
        await client.ActivateAsync("WF-6650a1b2-00000001", 10, [], CancellationToken.None);
        await client.GetPublicProfilesAsync("WF-6650a1b2-00000001", CancellationToken.None);

        Assert.Equal(3, mqs.Calls.Count);
        Assert.All(mqs.Calls, c => Assert.Equal("Bearer " + TokenEndpoint.TokenNumber(1), c.Authorization));
        Assert.Single(endpoint.Requests);
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
