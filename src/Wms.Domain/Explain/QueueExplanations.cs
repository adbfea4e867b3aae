using System.Globalization;
using System.Text.Json.Nodes;
using static Wms.Domain.Explain.ExplainText;

namespace Wms.Domain.Explain;

/// <summary>The waits before the TMS is involved: the workflow's queues, then launch control's queue.</summary>
public static class QueueExplanations
{
    public static Explanation MqActivation(TaskforceFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var wf = facts.Workflow;
        var attempts = facts.Activation;
        var since = TaskforceLog.EnteredCurrentPhaseTs(facts.Taskforce);
        var evidence = new JsonObject
        {
            ["activation_failures"] = attempts.Failures,
            ["last_attempt_ts"] = attempts.LastAttemptTs,
            ["last_error"] = attempts.LastError,
            ["try_again_later"] = attempts.TryAgainLater,
            ["next_try_ts"] = wf.MqActivationRetryAtTs,
        };
        var next = wf.MqActivationRetryAtTs is { } retryAt
            ? $"the WMS asks again at {Time(retryAt)}"
            : "the WMS asks again in its next round";
        var waiting = $"Waiting since {Time(since)} for the MQS to activate the workflow's queues";
        string? action = null;
        string message;
        if (wf.MqActivatedTs is { } activated)
        {
            message = $"The workflow's queues were activated at {Time(activated)}; this taskforce is being moved to the launch queue.";
        }
        else if (attempts.LastAttemptTs is not { } last)
        {
            message = $"{waiting}; the WMS has not asked it yet.";
        }
        else if (attempts.Failures > 0)
        {
            message = string.Create(CultureInfo.InvariantCulture,
                $"{waiting}: {Count(attempts.Failures, "attempt")} in a row failed, the last at {Time(last)} ({attempts.LastError}); {next}.");
            action = "None needed: the WMS keeps trying. If the failures go on, tell the operators that the MQS does not activate this workflow's queues, with the error above.";
        }
        else if (attempts.TryAgainLater)
        {
            message = $"{waiting}: at {Time(last)} the MQS said to try again later; {next}.";
        }
        else
        {
            message = $"{waiting}; the WMS last asked at {Time(last)}, and {next}.";
        }
        return new Explanation(ExplainReason.MqActivationPending, message, since, evidence, action);
    }

    public static Explanation LaunchQueue(TaskforceFacts facts, ExplainSettings settings, double now)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(settings);
        var since = TaskforceLog.EnteredCurrentPhaseTs(facts.Taskforce);
        var delay = settings.LaunchDelay.TotalSeconds;
        // Launch control releases the head of the queue each beat, so the k-th is released within k beats.
        double? estimated = facts.LaunchPosition is { } k && delay > 0 ? now + k * delay : null;
        var evidence = new JsonObject
        {
            ["position"] = facts.LaunchPosition,
            ["queue_length"] = facts.LaunchQueueLength,
            ["launch_delay_seconds"] = delay,
            ["estimated_start_ts"] = estimated,
        };
        string message;
        if (facts.LaunchPosition is not { } position)
        {
            message = $"In the launch queue since {Time(since)}; launch control is releasing it to the TMS now.";
        }
        else
        {
            var place = string.Create(CultureInfo.InvariantCulture,
                $"In the launch queue since {Time(since)}: position {position} of {facts.LaunchQueueLength}.");
            message = estimated is { } by
                ? $"{place} Launch control releases one taskforce to the TMS every {Duration(delay)}, so this one should be released by about {Time(by)}."
                : $"{place} Launch control releases taskforces without pause, so this one should be released within moments.";
        }
        return new Explanation(ExplainReason.LaunchQueue, message, since, evidence, null);
    }
}
