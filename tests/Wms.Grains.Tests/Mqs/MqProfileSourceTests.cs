using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Wms.GrainInterfaces.Mqs;
using Wms.Grains.Mqs;
using Wms.Testing;

namespace Wms.Grains.Tests.Mqs;

/// <summary>
/// The live-profile source against MQS v1 (the fake, on one clock with the source): a hit asks nobody, tokens about
/// to expire are renewed by one activation, a failing MQS gives null and a log line, never an exception.
/// </summary>
public sealed class MqProfileSourceTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private static readonly DateTimeOffset Start = new(2026, 5, 4, 8, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Start);
    private readonly CapturedLogger<MqProfileSource> _log = new();
    private readonly MqsOptions _options = new() { ApiVersion = MqsOptions.V1, RequestTimeout = TimeSpan.FromSeconds(30) };
    private FakeMqs _fake = null!;
    private HttpMqsClient _client = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeMqs.StartAsync(MqsVersion.V1);
        _fake.Clock = _clock;
        _options.Address = _fake.BaseAddress.ToString();
        _client = MqsSeam.Http(_options);
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private MqProfileSource NewSource() => MqsSeam.Source(_client, _options, _clock, _log);

    /// <summary>Reserves and activates a workflow as the WMS does at creation; gives its mqids by alias.</summary>
    private async Task<Dictionary<string, string>> ActivatedAsync(string workflowId, params string[] aliases)
    {
        var reserved = await _client.ReserveAsync(workflowId, aliases, [], CancellationToken.None);
        await _client.ActivateAsync(workflowId, 10, reserved, CancellationToken.None);
        return reserved.ToDictionary(p => p.Alias, p => p.MqId);
    }

    private int Activations(string workflowId) => _fake.Activations.Count(c => c.WorkflowId == workflowId);

    [Fact]
    public async Task ManyPollsCostOneActivationAndGetTheProfilesWholeInTheOrderAsked()
    {
        var mqid = await ActivatedAsync("WF-hit", "in", "out");
        var source = NewSource();

        var answers = new List<IReadOnlyList<MqsProfileDescription>?>();
        for (var i = 0; i < 50; i++)
        {
            answers.Add(await source.GetLiveAsync("WF-hit", 10, [mqid["out"], mqid["in"]], CancellationToken.None));
        }

        Assert.Equal(2, Activations("WF-hit"));
        Assert.Empty(_fake.ProfileReads);
        Assert.All(answers, a => Assert.Same(answers[0]![0], a![0]));
        var first = answers[0]!;
        Assert.Equal([mqid["out"], mqid["in"]], first.Select(d => d.Profile.MqId));
        Assert.Equal(_fake.ProfilesOf("WF-hit").Select(p => p.AuthToken).Order(), first.Select(d => d.Profile.AuthToken).Order());
        Assert.All(first, d =>
        {
            Assert.Equal("WF-hit", d.WorkflowId);
            Assert.NotNull(d.Timestamp);
            Assert.True(d.Profile.IsActivated);
        });
        AssertJson("""{"criteria": {"priority": 10}}""", _fake.Activations[^1].Body);
    }

    [Fact]
    public async Task TokensAreRenewedByActivatingAgainOnlyWhenLessThanTheMarginIsLeft()
    {
        var mqid = (await ActivatedAsync("WF-renew", "q"))["q"];
        var source = NewSource();
        var first = Assert.Single((await source.GetLiveAsync("WF-renew", 77, [mqid], CancellationToken.None))!);

        _clock.Advance(TimeSpan.FromHours(23) - TimeSpan.FromSeconds(1));
        var stillKept = Assert.Single((await source.GetLiveAsync("WF-renew", 77, [mqid], CancellationToken.None))!);
        Assert.Equal(2, Activations("WF-renew"));

        _clock.Advance(TimeSpan.FromSeconds(2));
        var renewed = Assert.Single((await source.GetLiveAsync("WF-renew", 77, [mqid], CancellationToken.None))!);

        Assert.Same(first, stillKept);
        Assert.Equal(3, Activations("WF-renew"));
        AssertJson("""{"criteria": {"priority": 77}}""", _fake.Activations[^1].Body);
        Assert.NotEqual(first.Profile.AuthToken, renewed.Profile.AuthToken);
        Assert.Equal(_clock.GetUtcNow().AddHours(24).ToUnixTimeSeconds(),
            QueueTokenExpiry.Read(renewed.Profile.AuthToken)!.Value.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task ATokenThatDoesNotSayWhenItExpiresIsTakenToLiveADayFromWhenItWasGot()
    {
        var mqid = (await ActivatedAsync("WF-opaque", "q"))["q"];
        _fake.ActivationPolicy = _ => ActivationOutcome.GrantAnswering(answer =>
        {
            answer["mqprofiles"]![0]!["auth_token"] = "opaque-token";
            return answer;
        });
        var source = NewSource();

        var got = await source.GetLiveAsync("WF-opaque", 1, [mqid], CancellationToken.None);
        _clock.Advance(TimeSpan.FromHours(22));
        await source.GetLiveAsync("WF-opaque", 1, [mqid], CancellationToken.None);
        var before = Activations("WF-opaque");
        _clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        await source.GetLiveAsync("WF-opaque", 1, [mqid], CancellationToken.None);

        Assert.Equal("opaque-token", Assert.Single(got!).Profile.AuthToken);
        Assert.Equal(2, before);
        Assert.Equal(3, Activations("WF-opaque"));
    }

    [Fact]
    public async Task ConcurrentPollsShareOneFetchAndOtherWorkflowsDoNotWaitForIt()
    {
        var slow = (await ActivatedAsync("WF-slow", "q"))["q"];
        var quick = (await ActivatedAsync("WF-quick", "q"))["q"];
        using var gate = new ManualResetEventSlim(false);
        _fake.ActivationPolicy = r =>
        {
            if (r.WorkflowId == "WF-slow")
            {
                gate.Wait(Deadline);
            }
            return ActivationOutcome.Grant;
        };
        var source = NewSource();
        try
        {
            var polls = Enumerable.Range(0, 20)
                .Select(_ => source.GetLiveAsync("WF-slow", 1, [slow], CancellationToken.None))
                .ToList();
            Assert.True(await _fake.WaitForAsync(m => m.Activations.Count(c => c.WorkflowId == "WF-slow") == 2, Deadline));

            var other = await source.GetLiveAsync("WF-quick", 1, [quick], CancellationToken.None).WaitAsync(Deadline);
            Assert.NotNull(other);
            Assert.All(polls, p => Assert.False(p.IsCompleted));

            gate.Set();
            var answers = await Task.WhenAll(polls).WaitAsync(Deadline);

            Assert.Equal(2, Activations("WF-slow"));
            Assert.All(answers, a => Assert.Same(answers[0]![0], a![0]));
        }
        finally
        {
            gate.Set();
        }
    }

    [Fact]
    public async Task ACallerWhoGivesUpDoesNotStopTheFetchTheOthersWaitFor()
    {
        var mqid = (await ActivatedAsync("WF-leave", "q"))["q"];
        using var gate = new ManualResetEventSlim(false);
        _fake.ActivationPolicy = _ =>
        {
            gate.Wait(Deadline);
            return ActivationOutcome.Grant;
        };
        var source = NewSource();
        try
        {
            using var impatient = new CancellationTokenSource();
            var leaving = source.GetLiveAsync("WF-leave", 1, [mqid], impatient.Token);
            var staying = source.GetLiveAsync("WF-leave", 1, [mqid], CancellationToken.None);
            Assert.True(await _fake.WaitForAsync(m => m.Activations.Count == 2, Deadline));

            await impatient.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
            gate.Set();

            Assert.NotNull(await staying.WaitAsync(Deadline));
            Assert.Equal(MqsCallOutcome.Granted, _fake.Activations[^1].Outcome);
        }
        finally
        {
            gate.Set();
        }
    }

    [Fact]
    public async Task NoQueuesIsAnEmptyListWithoutAskingAnyone()
    {
        var source = MqsSeam.Source(MqsSeam.Http(new Uri("http://127.0.0.1:1/"), MqsOptions.V1), _options, _clock, _log);

        var answer = await source.GetLiveAsync("WF-none", 1, [], CancellationToken.None);

        Assert.NotNull(answer);
        Assert.Empty(answer);
        Assert.Empty(_fake.Calls);
        Assert.Equal(0, source.Count);
        Assert.Empty(_log.Lines);
    }

    [Theory]
    [InlineData("500")]
    [InlineData("not JSON")]
    [InlineData("an array")]
    [InlineData("no profiles")]
    [InlineData("try again later")]
    [InlineData("a token missing")]
    public async Task AnMqsThatAnswersBadlyGivesNullAndALogLineNamingTheWorkflow(string kind)
    {
        var mqid = (await ActivatedAsync("WF-bad", "q"))["q"];
        _fake.ActivationPolicy = _ => kind switch
        {
            "500" => ActivationOutcome.Error(500),
            "not JSON" => ActivationOutcome.Raw("{\"mqprofiles\": [tru"),
            "an array" => ActivationOutcome.Raw("[]"),
            "no profiles" => ActivationOutcome.Raw("{\"mqgroup\": {}, \"mqprofiles\": []}"),
            "try again later" => ActivationOutcome.TryAgainLater(),
            _ => ActivationOutcome.GrantAnswering(answer =>
            {
                answer["mqprofiles"]![0]!["auth_token"] = null;
                return answer;
            }),
        };
        var source = NewSource();

        var answer = await source.GetLiveAsync("WF-bad", 1, [mqid], CancellationToken.None);

        Assert.Null(answer);
        var line = Assert.Single(_log.Warnings);
        Assert.Contains("WF-bad", line, StringComparison.Ordinal);
        Assert.Contains("cannot be had now: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnMqsThatIsDownGivesNullAndIsNotAskedAgainUntilTheHoldIsOver()
    {
        var mqid = (await ActivatedAsync("WF-down", "q"))["q"];
        var down = MqsSeam.Http(new MqsOptions { Address = "http://127.0.0.1:1/", RequestTimeout = TimeSpan.FromSeconds(30) });
        var failing = MqsSeam.Source(down, _options, _clock, _log);

        var answer = await failing.GetLiveAsync("WF-down", 1, [mqid], CancellationToken.None);

        Assert.Null(answer);
        var line = Assert.Single(_log.Warnings);
        Assert.Contains("WF-down", line, StringComparison.Ordinal);
        Assert.Contains("refused the connection", line, StringComparison.Ordinal);

        // Held: the next polls are answered "not now" without another try, or another log line.
        Assert.Null(await failing.GetLiveAsync("WF-down", 1, [mqid], CancellationToken.None));
        Assert.Single(_log.Warnings);
    }

    [Fact]
    public async Task AfterTheHoldTheMqsIsAskedAgainAndAnAnswerIsKept()
    {
        var mqid = (await ActivatedAsync("WF-back", "q"))["q"];
        _fake.ActivationPolicy = r => r.AttemptForWorkflow <= 3 ? ActivationOutcome.Error(503) : ActivationOutcome.Grant;
        var source = NewSource();

        Assert.Null(await source.GetLiveAsync("WF-back", 1, [mqid], CancellationToken.None));
        var afterFailure = Activations("WF-back");
        Assert.Null(await source.GetLiveAsync("WF-back", 1, [mqid], CancellationToken.None));
        Assert.Equal(afterFailure, Activations("WF-back"));

        _clock.Advance(_options.ProfileFailureHold);
        var answer = await source.GetLiveAsync("WF-back", 1, [mqid], CancellationToken.None);

        Assert.NotNull(answer);
        Assert.Equal(MqsCallOutcome.Granted, _fake.Activations[^1].Outcome);
    }

    [Fact]
    public async Task AnMqsThatHangsGivesNullWhenTheFetchTimesOut()
    {
        var mqid = (await ActivatedAsync("WF-hang", "q"))["q"];
        _fake.ActivationPolicy = _ => ActivationOutcome.Hang(TimeSpan.FromMinutes(5));
        var source = NewSource();

        var poll = source.GetLiveAsync("WF-hang", 1, [mqid], CancellationToken.None);
        Assert.True(await _fake.WaitForAsync(m => m.Activations.Count(c => c.WorkflowId == "WF-hang") == 2, Deadline));
        Assert.False(poll.IsCompleted);
        _clock.Advance(_options.ProfileFetchTimeout);

        Assert.Null(await poll.WaitAsync(Deadline));
        var line = Assert.Single(_log.Warnings);
        Assert.Contains("WF-hang", line, StringComparison.Ordinal);
        Assert.Contains("no answer within 5 s", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AQueueTheWorkflowDoesNotHaveGivesNullAndALogLine()
    {
        await ActivatedAsync("WF-other", "q");
        var source = NewSource();

        var answer = await source.GetLiveAsync("WF-other", 1, ["no-such-queue"], CancellationToken.None);

        Assert.Null(answer);
        var line = Assert.Single(_log.Warnings);
        Assert.Contains("WF-other", line, StringComparison.Ordinal);
        Assert.Contains("no-such-queue", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCacheKeepsAtMostItsCapacityDroppingTheLeastRecentlyAsked()
    {
        _options.ProfileCacheCapacity = 3;
        var mqids = new Dictionary<string, string>();
        for (var n = 0; n < 6; n++)
        {
            mqids[$"WF-cap{n}"] = (await ActivatedAsync($"WF-cap{n}", "q"))["q"];
        }
        var source = NewSource();

        foreach (var (id, mqid) in mqids)
        {
            Assert.NotNull(await source.GetLiveAsync(id, 1, [mqid], CancellationToken.None));
            Assert.InRange(source.Count, 1, 3);
        }
        var before = _fake.CountOf(MqsCallKind.Activation);
        await source.GetLiveAsync("WF-cap5", 1, [mqids["WF-cap5"]], CancellationToken.None);
        var hitCost = _fake.CountOf(MqsCallKind.Activation) - before;
        await source.GetLiveAsync("WF-cap0", 1, [mqids["WF-cap0"]], CancellationToken.None);
        var missCost = _fake.CountOf(MqsCallKind.Activation) - before - hitCost;

        Assert.Equal(0, hitCost);
        Assert.Equal(1, missCost);
        Assert.InRange(source.Count, 1, 3);
    }

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), actual?.ToJsonString() ?? "null");
}
