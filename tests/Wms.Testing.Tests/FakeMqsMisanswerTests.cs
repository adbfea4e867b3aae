using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Wms.Testing.Tests;

/// <summary>The activation answers a test can program that are no proper answer at all.</summary>
public sealed class FakeMqsMisanswerTests : IAsyncLifetime
{
    private FakeMqs _mqs = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _mqs = await FakeMqs.StartAsync(MqsVersion.V0);
        _http = new HttpClient { BaseAddress = _mqs.BaseAddress };
        using var reserved = await _http.PostAsync("v0/mqs/workflows/WF-1/mq-group/reservation",
            Json("""{"queue_aliases": ["a", "b"], "public": []}"""));
        Assert.Equal(HttpStatusCode.OK, reserved.StatusCode);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _mqs.DisposeAsync();
    }

    [Fact]
    public async Task A_raw_answer_is_sent_as_given_and_activates_nothing()
    {
        _mqs.ActivationPolicy = _ => ActivationOutcome.Raw("{\"mqprofiles\": [", 202, "text/plain; charset=bogus");

        using var answer = await ActivateAsync();

        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        Assert.Equal("text/plain; charset=bogus", answer.Content.Headers.ContentType!.ToString());
        Assert.Equal("{\"mqprofiles\": [", Encoding.UTF8.GetString(await answer.Content.ReadAsByteArrayAsync()));
        Assert.False(_mqs.IsActivated("WF-1"));
        Assert.Equal((MqsCallOutcome.Misanswered, 202), (_mqs.Activations[0].Outcome, _mqs.Activations[0].StatusCode));
    }

    [Fact]
    public async Task A_rewritten_grant_activates_but_answers_the_rewrite()
    {
        _mqs.ActivationPolicy = _ => ActivationOutcome.GrantAnswering(proper =>
        {
            proper["mqprofiles"]!.AsArray().RemoveAt(0);
            return proper;
        });

        using var answer = await ActivateAsync();

        var profiles = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["mqprofiles"]!.AsArray();
        Assert.Equal("b", (string?)Assert.Single(profiles)!["alias"]);
        Assert.True(_mqs.IsActivated("WF-1"));
        Assert.Empty(_mqs.GrantedActivationOrder);
        Assert.Equal(MqsCallOutcome.Misanswered, Assert.Single(_mqs.Activations).Outcome);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_connection_closed_early_is_no_answer(bool afterHeaders)
    {
        _mqs.ActivationPolicy = _ => afterHeaders ? ActivationOutcome.CutShort : ActivationOutcome.Disconnect;

        await Assert.ThrowsAsync<HttpRequestException>(ActivateAsync);

        Assert.False(_mqs.IsActivated("WF-1"));
        Assert.Equal(MqsCallOutcome.Misanswered, Assert.Single(_mqs.Activations).Outcome);
    }

    private Task<HttpResponseMessage> ActivateAsync() =>
        _http.PostAsync("v0/mqs/workflows/WF-1/mq-group/activation", Json("""{"workflow_id": "WF-1", "criteria": {"priority": 1}}"""));

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
