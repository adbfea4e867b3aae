using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;
using Wms.Testing;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.Lifecycle;

/// <summary>
/// An activation answer that is no proper answer, whatever is wrong with it, is an MQS failure: the workflow waits
/// out a back-off before the MQS is asked again, and the next proper answer activates it. Storage plays no part in
/// how an answer is read, so memory alone is used.
/// </summary>
public sealed class BadMqsAnswerTests
{
    /// <summary>The back-off after a first failure (2^0 s, under the test's retry wait of 1 s).</summary>
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);

    /// <summary>Calls closer together than this belong to one attempt: the client repeats a call that got no answer.</summary>
    private static readonly TimeSpan SameAttempt = TimeSpan.FromMilliseconds(500);

    /// <summary>Slack for the clocks of the fake and of the service, read at slightly different moments.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(50);

    private static readonly Dictionary<string, (ActivationOutcome Answer, int CallsPerAttempt)> Answers = new()
    {
        ["invalid JSON"] = (ActivationOutcome.Raw("""{"mqgroup": {}, "mqprofiles": ["""), 1),
        ["an HTML page"] = (ActivationOutcome.Raw("<html><body>Service Unavailable</body></html>", contentType: "text/html"), 1),
        ["an empty body"] = (ActivationOutcome.Raw(""), 1),
        ["JSON null"] = (ActivationOutcome.Raw("null"), 1),
        ["a JSON array"] = (ActivationOutcome.Raw("""[{"mqid": "x", "alias": "in"}]"""), 1),
        ["try-again-later not true"] = (ActivationOutcome.Raw("""{"try_again_later": "yes"}"""), 1),
        ["no profiles"] = (ActivationOutcome.Raw("""{"mqgroup": {}, "mqprofiles": []}"""), 1),
        ["profiles not a list"] = (ActivationOutcome.Raw("""{"mqprofiles": "x"}"""), 1),
        ["a charset that does not exist"] = (ActivationOutcome.Raw("""{"mqprofiles": []}""", contentType: "application/json; charset=no-such-charset"), 1),
        ["a profile not an object"] = (Rewritten(profiles => profiles[0] = 1), 1),
        ["a queue missing"] = (Rewritten(profiles => profiles.RemoveAt(0)), 1),
        ["a queue twice"] = (Rewritten(profiles => profiles.Add(profiles[0]!.DeepClone())), 1),
        ["an mqid not a string"] = (Rewritten(profiles => profiles[0]!["mqid"] = 5), 1),
        ["an alias missing"] = (Rewritten(profiles => profiles[0]!.AsObject().Remove("alias")), 1),
        ["a flag not a boolean"] = (Rewritten(profiles => profiles[0]!["is_activated"] = "yes"), 1),
        ["a token not a string"] = (Rewritten(profiles => profiles[0]!["auth_token"] = 12345), 1),
        ["the connection closed without an answer"] = (ActivationOutcome.Disconnect, 2),
        ["the connection closed halfway through the answer"] = (ActivationOutcome.CutShort, 2),
    };

    public static TheoryData<string> BadAnswers => [.. Answers.Keys];

    [Theory]
    [MemberData(nameof(BadAnswers))]
    public async Task ABadAnswerIsAnMqsFailureWithBackOffAndTheNextProperOneActivates(string bad)
    {
        var (answer, callsPerAttempt) = Answers[bad];
        await using var host = await LifecycleHost.StartAsync(StorageMode.Memory);
        var mqs = host.FakeMqs;
        var failureSeen = 0;
        mqs.ActivationPolicy = _ => Volatile.Read(ref failureSeen) == 0 ? answer : ActivationOutcome.Grant;

        var created = await host.User.CreateWorkflowAsync(Workflow([Task([Alpha, Beta], ["in"], ["out"])], ["out"]));
        var workflowId = WorkflowId(created);
        var waiting = await host.WaitForWorkflowAsync(workflowId, w => w.ContainsKey("_mq_activation_retry_at_ts"), "a retry time");
        Volatile.Write(ref failureSeen, 1);
        Assert.Null(waiting["mq_activated_ts"]);
        var retryAt = DateTimeOffset.FromUnixTimeMilliseconds(
            (long)(waiting["_mq_activation_retry_at_ts"]!.GetValue<double>() * 1000));

        await host.WaitForPhaseAsync(TaskforceUuids(created), PendingStarter);

        var activated = await host.User.WorkflowAsync(workflowId);
        Assert.NotNull(activated["mq_activated_ts"]);
        Assert.False(activated.ContainsKey("_mq_activation_retry_at_ts"));
        var calls = mqs.Activations;
        Assert.Equal(MqsCallOutcome.Granted, calls[^1].Outcome);
        Assert.All(calls.SkipLast(1), c => Assert.Equal(MqsCallOutcome.Misanswered, c.Outcome));
        AssertBackedOff(calls, callsPerAttempt);
        // The failure came after its attempt's calls and set the retry time a back-off later: nothing in between.
        Assert.DoesNotContain(calls, c => c.ReceivedAt > retryAt - FirstBackoff + Slack && c.ReceivedAt < retryAt - Slack);
        Assert.Equal(MqsCallOutcome.Reserved, Assert.Single(mqs.Reservations).Outcome);
        await AssertQueuesInPilotEnvironmentAsync(host, created);
    }

    /// <summary>A proper grant whose answer's profile list is then changed.</summary>
    private static ActivationOutcome Rewritten(Action<JsonArray> change) => ActivationOutcome.GrantAnswering(proper =>
    {
        change(proper["mqprofiles"]!.AsArray());
        return proper;
    });

    /// <summary>Each attempt makes at most <paramref name="callsPerAttempt"/> calls, and attempts are a back-off apart.</summary>
    private static void AssertBackedOff(IReadOnlyList<MqsCall> calls, int callsPerAttempt)
    {
        var inAttempt = 1;
        for (var i = 1; i < calls.Count; i++)
        {
            var gap = calls[i].ReceivedAt - calls[i - 1].ReceivedAt;
            if (gap < SameAttempt)
            {
                inAttempt++;
                Assert.True(inAttempt <= callsPerAttempt, $"call {i} came {gap.TotalMilliseconds} ms after the one before");
                continue;
            }
            Assert.True(gap >= FirstBackoff - Slack, $"call {i} came only {gap.TotalMilliseconds} ms after a failed attempt");
            inAttempt = 1;
        }
    }

    private static async Task AssertQueuesInPilotEnvironmentAsync(LifecycleHost host, JsonObject created)
    {
        var profiles = host.FakeMqs.ProfilesOf(WorkflowId(created));
        var input = profiles.Single(p => p.Alias == "in");
        var output = profiles.Single(p => p.Alias == "out");
        foreach (var uuid in TaskforceUuids(created))
        {
            var environment = (await host.User.TaskforceAsync(uuid))["pilot_config"]!["environment"]!;
            AssertJson(Strings([input.Mqid]), environment["EWMS_PILOT_QUEUE_INCOMING"]);
            AssertJson(Strings([input.AuthToken!]), environment["EWMS_PILOT_QUEUE_INCOMING_AUTH_TOKEN"]);
            AssertJson(Strings([output.Mqid]), environment["EWMS_PILOT_QUEUE_OUTGOING"]);
            AssertJson(Strings([output.AuthToken!]), environment["EWMS_PILOT_QUEUE_OUTGOING_AUTH_TOKEN"]);
            AssertJson(Strings([output.BrokerAddress!]), environment["EWMS_PILOT_QUEUE_OUTGOING_BROKER_ADDRESS"]);
        }
    }
}
