using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Wms.Testing.Tests;

/// <summary>The fake as today's MQS (v1.1.1): its routes, its strict bodies, its repeatable reservation and tokens.</summary>
public sealed class FakeMqsV1Tests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 30, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Start);
    private FakeMqs _mqs = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _mqs = await FakeMqs.StartAsync();
        _mqs.Clock = _clock;
        _http = new HttpClient { BaseAddress = _mqs.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _mqs.DisposeAsync();
    }

    [Fact]
    public async Task V1_is_the_default_and_only_the_v1_routes_are_served()
    {
        Assert.Equal(MqsVersion.V1, _mqs.Version);

        using var old = await _http.PostAsync("v0/mqs/workflows/WF-1/mq-group/reservation", Json("""{"queue_aliases": ["q"], "public": []}"""));

        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
        Assert.Empty(_mqs.Calls);
        Assert.Equal(HttpStatusCode.OK, (await ReserveAsync("WF-1", """{"queue_aliases": ["q"], "public": []}""")).Status);
    }

    [Theory]
    [InlineData("""{"queue_aliases": [], "public": []}""")]
    [InlineData("""{"queue_aliases": ["q"]}""")]
    [InlineData("""{"queue_aliases": ["q"], "public": [], "workflow_id": "WF-2"}""")]
    [InlineData("""{"queue_aliases": "q", "public": []}""")]
    public async Task A_reservation_outside_the_schema_is_400_and_reserves_nothing(string body)
    {
        var (status, answer) = await ReserveAsync("WF-2", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, (int)answer!["code"]!);
        Assert.False(_mqs.IsReserved("WF-2"));
        Assert.Equal(MqsCallOutcome.Error, Assert.Single(_mqs.Reservations).Outcome);
    }

    [Fact]
    public async Task A_repeated_reservation_answers_the_group_already_made()
    {
        var (_, first) = await ReserveAsync("WF-3", """{"queue_aliases": ["in", "out"], "public": ["out"]}""");
        var (status, again) = await ReserveAsync("WF-3", """{"queue_aliases": ["other"], "public": []}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(JsonNode.DeepEquals(first, again), again!.ToJsonString());
        Assert.Equal([MqsCallOutcome.Reserved, MqsCallOutcome.ReservationRepeated], _mqs.Reservations.Select(c => c.Outcome));
        Assert.Equal(["in", "out"], _mqs.ProfilesOf("WF-3").Select(p => p.Alias));
    }

    [Fact]
    public async Task A_profile_has_exactly_the_nine_keys_of_the_mqs_in_its_order()
    {
        var (_, answer) = await ReserveAsync("WF-4", """{"queue_aliases": ["q"], "public": []}""");

        var profile = answer!["mqprofiles"]![0]!.AsObject();

        Assert.Equal(
            ["mqid", "workflow_id", "timestamp", "alias", "is_public", "is_activated", "auth_token", "broker_type", "broker_address"],
            profile.Select(p => p.Key));
        Assert.Equal(Start.ToUnixTimeSeconds(), (double)profile["timestamp"]!);
    }

    [Theory]
    [InlineData("""{"workflow_id": "WF-5", "criteria": {"priority": 1}}""")]
    [InlineData("""{}""")]
    [InlineData("""{"criteria": 7}""")]
    [InlineData("""[]""")]
    public async Task An_activation_body_other_than_criteria_alone_is_400(string body)
    {
        await ReserveAsync("WF-5", """{"queue_aliases": ["q"], "public": []}""");

        var (status, _) = await PostAsync("v1/mqs/workflows/WF-5/mq-group/activation", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(_mqs.IsActivated("WF-5"));
        Assert.Equal(MqsCallOutcome.Error, Assert.Single(_mqs.Activations).Outcome);
    }

    [Fact]
    public async Task Each_activation_mints_new_jwts_that_expire_a_day_later_on_the_fake_clock()
    {
        await ReserveAsync("WF-6", """{"queue_aliases": ["a", "b"], "public": []}""");

        var (status, first) = await ActivateAsync("WF-6", """{"criteria": {"priority": 3}}""");
        _clock.Advance(TimeSpan.FromHours(5));
        var (_, second) = await ActivateAsync("WF-6", """{"criteria": null}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var firstTokens = Tokens(first!);
        var secondTokens = Tokens(second!);
        Assert.All(firstTokens, t => Assert.Equal(Start.AddHours(24).ToUnixTimeSeconds(), (long)Claims(t)["exp"]!));
        Assert.All(secondTokens, t => Assert.Equal(Start.AddHours(29).ToUnixTimeSeconds(), (long)Claims(t)["exp"]!));
        Assert.Empty(firstTokens.Intersect(secondTokens));
        Assert.Equal(secondTokens, _mqs.ProfilesOf("WF-6").Select(p => p.AuthToken!));
        Assert.Equal(["WF-6", "WF-6"], _mqs.GrantedActivationOrder);
    }

    [Fact]
    public async Task A_profile_read_answers_the_stored_token_and_mints_nothing()
    {
        var (_, reserved) = await ReserveAsync("WF-7", """{"queue_aliases": ["q"], "public": []}""");
        var mqid = (string)reserved!["mqprofiles"]![0]!["mqid"]!;
        var (_, activated) = await ActivateAsync("WF-7", """{"criteria": {"priority": 1}}""");
        _clock.Advance(TimeSpan.FromHours(1));

        using var read = await _http.GetAsync($"v1/mqs/mq-profiles/{mqid}");
        using var unknown = await _http.GetAsync("v1/mqs/mq-profiles/no-such-queue");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var profile = JsonNode.Parse(await read.Content.ReadAsStringAsync())!;
        Assert.True(JsonNode.DeepEquals(activated!["mqprofiles"]![0], profile), profile.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("""{"code":404,"error":"MQProfile not found"}""", await unknown.Content.ReadAsStringAsync());
        Assert.Equal([MqsCallOutcome.Read, MqsCallOutcome.NotFound], _mqs.ProfileReads.Select(c => c.Outcome));
        Assert.Equal([mqid, "no-such-queue"], _mqs.ProfileReads.Select(c => c.Mqid));
        Assert.Equal(2, _mqs.CountOf(MqsCallKind.Profile));
        Assert.Equal(1, _mqs.CountOf(MqsCallKind.Activation));
    }

    [Fact]
    public async Task A_profile_read_needs_the_system_wms_role()
    {
        _mqs.TokenValidator = token => Task.FromResult<ClaimsIdentity?>(token switch
        {
            "wms" => new ClaimsIdentity([new Claim("ewms_role", "system-wms")], "test"),
            "alice" => new ClaimsIdentity([new Claim("ewms_role", "user")], "test"),
            _ => null,
        });
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wms");
        var (_, reserved) = await ReserveAsync("WF-8", """{"queue_aliases": ["q"], "public": ["q"]}""");
        var mqid = (string)reserved!["mqprofiles"]![0]!["mqid"]!;

        var statuses = new List<HttpStatusCode>();
        foreach (var token in new[] { "alice", "nobody", "wms" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/mqs/mq-profiles/{mqid}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var answer = await _http.SendAsync(request);
            statuses.Add(answer.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.OK], statuses);
        Assert.Equal(
            [MqsCallOutcome.AuthorizationFailed, MqsCallOutcome.AuthenticationFailed, MqsCallOutcome.Read],
            _mqs.ProfileReads.Select(c => c.Outcome));
    }

    [Fact]
    public async Task Public_profiles_are_served_under_v1()
    {
        await ReserveAsync("WF-9", """{"queue_aliases": ["in", "out"], "public": ["out"]}""");

        using var answer = await _http.GetAsync("v1/mqs/workflows/WF-9/mq-profiles/public");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var profiles = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["mqprofiles"]!.AsArray();
        Assert.Equal("out", (string?)Assert.Single(profiles)!["alias"]);
    }

    private static List<string> Tokens(JsonNode answer) =>
        [.. answer["mqprofiles"]!.AsArray().Select(p => (string)p!["auth_token"]!)];

    private static JsonNode Claims(string jwt)
    {
        var parts = jwt.Split('.');
        Assert.Equal(3, parts.Length);
        return JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!;
    }

    private Task<(HttpStatusCode Status, JsonNode? Body)> ReserveAsync(string workflowId, string body) =>
        PostAsync($"v1/mqs/workflows/{workflowId}/mq-group/reservation", body);

    private Task<(HttpStatusCode Status, JsonNode? Body)> ActivateAsync(string workflowId, string body) =>
        PostAsync($"v1/mqs/workflows/{workflowId}/mq-group/activation", body);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, string body)
    {
        using var content = Json(body);
        using var response = await _http.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
