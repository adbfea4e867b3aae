using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;

namespace Wms.Testing.Tests;

/// <summary>With a token validator, the fake admits callers by role as the real MQS does; without one, everyone.</summary>
public sealed class FakeMqsRoleTests : IAsyncLifetime
{
    private static readonly Dictionary<string, Claim[]> Tokens = new()
    {
        ["wms"] = [new("ewms_role", "system-wms")],
        ["alice"] = [new("groups", "/other"), new("groups", "/institutions/IceCube/UW-Madison")],
        ["dev"] = [new("groups", "/tokens/ewms-dev")],
        ["scripted"] = [new("ewms_role", "user")],
        ["mallory"] = [new("groups", "/institutions/NotIceCube"), new("groups", "/tokens/ewms-dev-x"), new("ewms_role", "system-tms")],
    };

    private FakeMqs _mqs = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _mqs = await FakeMqs.StartAsync(MqsVersion.V0);
        _mqs.TokenValidator = token => token == "throws"
            ? throw new ArgumentException("malformed")
            : Task.FromResult(Tokens.TryGetValue(token, out var claims) ? new ClaimsIdentity(claims, "test") : null);
        _http = new HttpClient { BaseAddress = _mqs.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _mqs.DisposeAsync();
    }

    [Fact]
    public async Task Reservation_and_activation_need_the_system_wms_role()
    {
        foreach (var (token, outcome) in new (string?, MqsCallOutcome)[]
        {
            (null, MqsCallOutcome.AuthenticationFailed), ("unknown", MqsCallOutcome.AuthenticationFailed),
            ("throws", MqsCallOutcome.AuthenticationFailed), ("alice", MqsCallOutcome.AuthorizationFailed),
            ("mallory", MqsCallOutcome.AuthorizationFailed),
        })
        {
            await AssertRefusedAsync(await ReserveAsync(token), outcome == MqsCallOutcome.AuthenticationFailed);
            Assert.Equal(outcome, _mqs.Reservations[^1].Outcome);
        }
        Assert.False(_mqs.IsReserved("WF-1"));

        Assert.Equal(HttpStatusCode.OK, (await ReserveAsync("wms")).StatusCode);
        await AssertRefusedAsync(await ActivateAsync(null), authentication: true);
        await AssertRefusedAsync(await ActivateAsync("scripted"), authentication: false);
        Assert.False(_mqs.IsActivated("WF-1"));
        Assert.Equal(HttpStatusCode.OK, (await ActivateAsync("wms")).StatusCode);
        Assert.True(_mqs.IsActivated("WF-1"));
        Assert.Equal(
            [MqsCallOutcome.AuthenticationFailed, MqsCallOutcome.AuthorizationFailed, MqsCallOutcome.Granted],
            _mqs.Activations.Select(c => c.Outcome));
    }

    [Fact]
    public async Task Public_profiles_need_the_user_role()
    {
        Assert.Equal(HttpStatusCode.OK, (await ReserveAsync("wms")).StatusCode);

        await AssertRefusedAsync(await PublicAsync(null), authentication: true);
        await AssertRefusedAsync(await PublicAsync("wms"), authentication: false);
        await AssertRefusedAsync(await PublicAsync("mallory"), authentication: false);
        foreach (var user in new[] { "alice", "dev", "scripted" })
        {
            using var answer = await PublicAsync(user);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Contains("\"alias\":\"q\"", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(
            [MqsCallOutcome.AuthenticationFailed, MqsCallOutcome.AuthorizationFailed, MqsCallOutcome.AuthorizationFailed,
             MqsCallOutcome.Listed, MqsCallOutcome.Listed, MqsCallOutcome.Listed],
            _mqs.PublicProfileReads.Select(c => c.Outcome));
    }

    [Fact]
    public async Task Without_a_validator_every_call_is_admitted_and_reset_keeps_it()
    {
        _mqs.Reset();
        Assert.Equal(HttpStatusCode.Forbidden, (await ReserveAsync(null)).StatusCode);

        _mqs.TokenValidator = null;
        Assert.Equal(HttpStatusCode.OK, (await ReserveAsync(null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ActivateAsync("unknown")).StatusCode);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage answer, bool authentication)
    {
        using (answer)
        {
            Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
            var reason = authentication ? "authentication failed" : "authorization failed";
            Assert.Equal($$"""{"code":403,"error":"{{reason}}"}""", await answer.Content.ReadAsStringAsync());
        }
    }

    private Task<HttpResponseMessage> ReserveAsync(string? token) =>
        SendAsync(HttpMethod.Post, "v0/mqs/workflows/WF-1/mq-group/reservation", token, """{"queue_aliases": ["q"], "public": ["q"]}""");

    private Task<HttpResponseMessage> ActivateAsync(string? token) =>
        SendAsync(HttpMethod.Post, "v0/mqs/workflows/WF-1/mq-group/activation", token, """{"workflow_id": "WF-1", "criteria": {"priority": 1}}""");

    private Task<HttpResponseMessage> PublicAsync(string? token) =>
        SendAsync(HttpMethod.Get, "v0/mqs/workflows/WF-1/mq-profiles/public", token, null);

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, string? body)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        return _http.SendAsync(request);
    }
}
