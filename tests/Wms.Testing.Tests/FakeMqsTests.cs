using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Wms.Testing.Tests;

public sealed class FakeMqsTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private FakeMqs _mqs = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _mqs = await FakeMqs.StartAsync(MqsVersion.V0);
        _http = new HttpClient { BaseAddress = _mqs.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _mqs.DisposeAsync();
    }

    [Fact]
    public void It_listens_on_loopback_with_a_real_port()
    {
        Assert.Equal("127.0.0.1", _mqs.BaseAddress.Host);
        Assert.NotEqual(0, _mqs.BaseAddress.Port);
        Assert.EndsWith("/", _mqs.BaseAddress.AbsoluteUri);
    }

    [Fact]
    public async Task Reservation_makes_one_profile_per_alias_and_a_second_one_fails_with_500()
    {
        var (status, body) = await ReserveAsync("WF-1", ["in", "out", "extra"], ["out"]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("WF-1", (string?)body!["mqgroup"]!["workflow_id"]);
        Assert.NotNull((string?)body["mqgroup"]!["mqgroup_id"]);
        var profiles = body["mqprofiles"]!.AsArray();
        Assert.Equal(["in", "out", "extra"], profiles.Select(p => (string?)p!["alias"]));
        Assert.Equal([false, true, false], profiles.Select(p => (bool)p!["is_public"]!));
        Assert.All(profiles, p =>
        {
            Assert.False((bool)p!["is_activated"]!);
            Assert.Null(p["auth_token"]);
            Assert.Null(p["broker_type"]);
            Assert.Null(p["broker_address"]);
            Assert.True(p.AsObject().ContainsKey("auth_token"));
        });
        Assert.Equal(3, profiles.Select(p => (string?)p!["mqid"]).Distinct().Count());

        var (secondStatus, _) = await ReserveAsync("WF-1", ["in"], []);

        Assert.Equal(HttpStatusCode.InternalServerError, secondStatus);
        Assert.Equal([MqsCallOutcome.Reserved, MqsCallOutcome.DuplicateReservation], _mqs.Reservations.Select(c => c.Outcome));
        Assert.Equal([200, 500], _mqs.Reservations.Select(c => c.StatusCode));
        Assert.Equal(3, _mqs.ProfilesOf("WF-1").Count); // the failed second call changed nothing
    }

    [Fact]
    public async Task Activation_is_granted_by_default_with_token_and_broker()
    {
        await ReserveAsync("WF-2", ["in", "out"], ["in"]);

        var (status, body) = await ActivateAsync("WF-2", priority: 42);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(42, (int)body!["mqgroup"]!["criteria"]!["priority"]!);
        Assert.All(body["mqprofiles"]!.AsArray(), p =>
        {
            Assert.True((bool)p!["is_activated"]!);
            Assert.False(string.IsNullOrEmpty((string?)p["auth_token"]));
            Assert.Equal("rabbitmq", (string?)p["broker_type"]);
            Assert.Equal("localhost:5672", (string?)p["broker_address"]);
        });
        Assert.True(_mqs.IsActivated("WF-2"));
        Assert.Equal(["WF-2"], _mqs.GrantedActivationOrder);
        Assert.Equal(MqsCallOutcome.Granted, Assert.Single(_mqs.Activations).Outcome);
    }

    [Fact]
    public async Task Try_again_later_is_answered_the_programmed_number_of_times()
    {
        await ReserveAsync("WF-3", ["q"], []);
        await ReserveAsync("WF-4", ["q"], []);
        _mqs.TryAgainLaterTimes(2, statusCode: 202);

        var first = await ActivateAsync("WF-3", 10);
        var second = await ActivateAsync("WF-4", 10);
        var third = await ActivateAsync("WF-4", 10);

        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.True((bool)first.Body!["try_again_later"]!);
        Assert.Equal(HttpStatusCode.Accepted, second.Status);
        Assert.Equal(HttpStatusCode.OK, third.Status);
        Assert.NotNull(third.Body!["mqprofiles"]);
        Assert.Equal(["WF-4"], _mqs.GrantedActivationOrder);
        Assert.False(_mqs.IsActivated("WF-3"));
        Assert.Equal(
            [MqsCallOutcome.TryAgainLater, MqsCallOutcome.TryAgainLater, MqsCallOutcome.Granted],
            _mqs.Activations.Select(c => c.Outcome));
    }

    [Fact]
    public async Task A_policy_sees_call_numbers_and_can_answer_errors()
    {
        await ReserveAsync("WF-5", ["q"], []);
        var seen = new List<ActivationRequest>();
        _mqs.ActivationPolicy = request =>
        {
            lock (seen)
            {
                seen.Add(request);
            }

            return request.AttemptForWorkflow == 1 ? ActivationOutcome.Error(503) : ActivationOutcome.TryAgainLater();
        };

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await ActivateAsync("WF-5", 7)).Status);
        var retry = await ActivateAsync("WF-5", 7);

        Assert.Equal(HttpStatusCode.OK, retry.Status);
        Assert.True((bool)retry.Body!["try_again_later"]!);
        Assert.Equal([1, 2], seen.Select(r => r.AttemptForWorkflow));
        Assert.All(seen, r => Assert.Equal(7, r.Priority));
        Assert.Empty(_mqs.GrantedActivationOrder);
    }

    [Fact]
    public async Task Activating_an_unknown_workflow_is_404()
    {
        var (status, body) = await ActivateAsync("WF-never", 10);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(404, (int)body!["code"]!);
        Assert.Equal(MqsCallOutcome.NotFound, Assert.Single(_mqs.Activations).Outcome);
    }

    [Fact]
    public async Task Public_profiles_list_only_public_queues_whole()
    {
        await ReserveAsync("WF-6", ["in", "out"], ["out"]);

        var before = await GetPublicAsync("WF-6");
        await ActivateAsync("WF-6", 10);
        var after = await GetPublicAsync("WF-6");
        var unknown = await GetPublicAsync("WF-unknown");

        var profile = Assert.Single(before);
        Assert.Equal("out", (string?)profile!["alias"]);
        Assert.False((bool)profile["is_activated"]!);
        var activated = Assert.Single(after);
        Assert.True((bool)activated!["is_activated"]!);
        Assert.Equal(_mqs.ProfilesOf("WF-6").Single(p => p.Alias == "out").AuthToken, (string?)activated["auth_token"]);
        foreach (var key in new[] { "mqid", "alias", "is_public", "is_activated", "auth_token", "broker_type", "broker_address" })
        {
            Assert.True(activated.AsObject().ContainsKey(key), key);
        }

        Assert.Empty(unknown);
        Assert.Equal(3, _mqs.PublicProfileReads.Count);
    }

    [Fact]
    public async Task Calls_are_recorded_in_order_with_body_and_authorization()
    {
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "token-123");
        await ReserveAsync("WF-7", ["a"], []);
        await ActivateAsync("WF-7", 3);
        await GetPublicAsync("WF-7");

        var calls = _mqs.Calls;

        Assert.Equal([MqsCallKind.Reservation, MqsCallKind.Activation, MqsCallKind.PublicProfiles], calls.Select(c => c.Kind));
        Assert.Equal([0, 1, 2], calls.Select(c => c.Sequence));
        Assert.All(calls, c => Assert.Equal("WF-7", c.WorkflowId));
        Assert.All(calls, c => Assert.Equal("Bearer token-123", c.Authorization));
        Assert.Equal("a", (string?)calls[0].Body!["queue_aliases"]![0]);
        Assert.Equal(3, (int)calls[1].Body!["criteria"]!["priority"]!);
        Assert.Null(calls[2].Body);
        Assert.True(calls[0].ReceivedAt <= calls[1].ReceivedAt);
    }

    [Fact]
    public async Task A_call_without_authorization_records_null()
    {
        await GetPublicAsync("WF-8");

        Assert.Null(Assert.Single(_mqs.Calls).Authorization);
    }

    [Fact]
    public async Task Failed_reservations_create_nothing_until_reset()
    {
        _mqs.FailReservationsWith(503);

        var (status, _) = await ReserveAsync("WF-9", ["q"], []);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.False(_mqs.IsReserved("WF-9"));
        Assert.Equal(MqsCallOutcome.Error, Assert.Single(_mqs.Reservations).Outcome);

        _mqs.Reset();

        Assert.Empty(_mqs.Calls);
        Assert.Equal(HttpStatusCode.OK, (await ReserveAsync("WF-9", ["q"], [])).Status);
    }

    [Fact]
    public async Task A_malformed_reservation_is_400()
    {
        using var content = new StringContent("""{"queue_aliases": "not-a-list"}""", Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync("v0/mqs/workflows/WF-10/mq-group/reservation", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(_mqs.IsReserved("WF-10"));
    }

    [Fact]
    public async Task A_hanging_activation_outlasts_the_client_and_is_recorded_as_abandoned()
    {
        await ReserveAsync("WF-11", ["q"], []);
        _mqs.ActivationPolicy = _ => ActivationOutcome.Hang(TimeSpan.FromMinutes(5));
        using var impatient = new HttpClient { BaseAddress = _mqs.BaseAddress, Timeout = TimeSpan.FromMilliseconds(300) };

        await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.PostAsync(
            "v0/mqs/workflows/WF-11/mq-group/activation",
            new StringContent("""{"workflow_id": "WF-11", "criteria": {"priority": 1}}""", Encoding.UTF8, "application/json")));

        Assert.True(await _mqs.WaitForAsync(m => m.Activations.Single().Outcome == MqsCallOutcome.Abandoned, Deadline));
        Assert.False(_mqs.IsActivated("WF-11"));
    }

    [Fact]
    public async Task Stopping_the_fake_drops_a_hanging_call_instead_of_answering_it()
    {
        var fake = await FakeMqs.StartAsync(MqsVersion.V0);
        using var client = new HttpClient { BaseAddress = fake.BaseAddress };
        using var reserved = await client.PostAsync("v0/mqs/workflows/WF-14/mq-group/reservation", Json("""{"queue_aliases": ["q"], "public": []}"""));
        fake.ActivationPolicy = _ => ActivationOutcome.Hang(TimeSpan.FromMinutes(5));

        var hanging = client.PostAsync("v0/mqs/workflows/WF-14/mq-group/activation", Json("""{"workflow_id": "WF-14", "criteria": {"priority": 1}}"""));
        Assert.True(await fake.WaitForAsync(m => m.Activations.Count == 1, Deadline));
        fake.Reset(); // a call from before Reset must not resurface in the new record
        await fake.DisposeAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => hanging);
        Assert.Empty(fake.Calls);
    }

    [Fact]
    public async Task A_short_hang_then_grant_still_activates()
    {
        await ReserveAsync("WF-12", ["q"], []);
        _mqs.ActivationPolicy = _ => ActivationOutcome.Hang(TimeSpan.FromMilliseconds(100), ActivationOutcome.Grant);

        var (status, _) = await ActivateAsync("WF-12", 1);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["WF-12"], _mqs.GrantedActivationOrder);
    }

    [Fact]
    public async Task Wait_for_reports_success_and_timeout()
    {
        var pending = _mqs.WaitForAsync(m => m.Reservations.Count == 1, Deadline);
        await ReserveAsync("WF-13", ["q"], []);

        Assert.True(await pending);
        Assert.False(await _mqs.WaitForAsync(m => m.Reservations.Count == 2, TimeSpan.FromMilliseconds(100)));
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> ReserveAsync(string workflowId, string[] aliases, string[] publicAliases)
    {
        var body = new JsonObject
        {
            ["queue_aliases"] = new JsonArray(aliases.Select(a => (JsonNode?)a).ToArray()),
            ["public"] = new JsonArray(publicAliases.Select(a => (JsonNode?)a).ToArray()),
        };
        return await PostAsync($"v0/mqs/workflows/{workflowId}/mq-group/reservation", body);
    }

    private Task<(HttpStatusCode Status, JsonNode? Body)> ActivateAsync(string workflowId, int priority) =>
        PostAsync(
            $"v0/mqs/workflows/{workflowId}/mq-group/activation",
            new JsonObject { ["workflow_id"] = workflowId, ["criteria"] = new JsonObject { ["priority"] = priority } });

    private async Task<JsonArray> GetPublicAsync(string workflowId)
    {
        using var response = await _http.GetAsync($"v0/mqs/workflows/{workflowId}/mq-profiles/public");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["mqprofiles"]!.AsArray();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, JsonNode body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
