using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wms.GrainInterfaces.Configuration;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Outcomes;
using Wms.Domain.Index;
using Wms.Domain.Rules;

namespace Wms.Grains.Loops;

/// <summary>
/// Walks the workflows awaiting MQ activation in the contract's order, starting up to <see cref="ActivationWindow"/>
/// activations at once. A try-again-later moves on to the next workflow; an MQS failure ends the round and backs
/// off, so a sick MQS is not hammered.
/// </summary>
public sealed class MqActivatorGrain(
    IObjectIndex index, IOptions<WmsOptions> options, TimeProvider time, ILogger<MqActivatorGrain> logger)
    : BackgroundLoopGrain(logger, options.Value.LoopReminderPeriod), IMqActivatorGrain
{
    /// <summary>
    /// Activations in flight at once. Each one mostly waits (the MQS, grain state and index writes), so a few side by
    /// side multiply the rate; few enough that a failing MQS sees only a handful of calls before the round ends.
    /// </summary>
    public const int ActivationWindow = 12;

    /// <summary>The back-off after an MQS failure when the loop is not paced (a delay of 0).</summary>
    private static readonly TimeSpan UnpacedBackoff = TimeSpan.FromSeconds(1);

    private DateTimeOffset _backoffUntil = DateTimeOffset.MinValue;

    /// <summary>After an MQS failure, one call at a time until the MQS answers again.</summary>
    private bool _probing;

    protected override string LoopName => "mq-activator";

    protected override async Task<TimeSpan?> RunRoundAsync(CancellationToken cancellationToken)
    {
        var delay = options.Value.MqActivatorDelay;
        var backoffLeft = _backoffUntil - time.GetUtcNow();
        if (backoffLeft > TimeSpan.Zero)
        {
            // New workflows kick the loop all the time; that must not cut short the back-off of a failing MQS.
            return backoffLeft;
        }
        var tried = new HashSet<string>();
        var window = new CallWindow<string, ActivationOutcome>(_probing ? 1 : ActivationWindow);
        var mqsFailed = false;
        while (true)
        {
            if (!mqsFailed && !window.Failed && window.Free > 0)
            {
                try
                {
                    // Started in the order read just now, so the starts follow the contract's order even though
                    // the calls then overlap; the next free slot reads the order afresh.
                    foreach (var workflowId in await NextCandidatesAsync(tried, window, cancellationToken))
                    {
                        tried.Add(workflowId);
                        window.Start(workflowId, GrainFactory.Get<IWorkflowGrain>(workflowId).ActivateMqAsync());
                    }
                }
                catch (Exception e) when (window.Count > 0)
                {
                    // Let the started activations finish first; the error is thrown after them.
                    window.Fail(e);
                }
            }
            if (window.Count == 0)
            {
                break;
            }
            var (id, succeeded, outcome) = await window.NextFinishedAsync();
            if (!succeeded)
            {
                // No more starts this round; the base class logs the exception and tries again shortly.
                continue;
            }
            switch (outcome!.Kind)
            {
                case ActivationKind.MqsFailed:
                    logger.LogWarning("MQ activation of {WorkflowId} failed: {Error}", id, outcome.Error);
                    mqsFailed = true;
                    break;
                case ActivationKind.Activated or ActivationKind.TryAgainLater:
                    // The MQS answers: open the whole window again.
                    _probing = false;
                    window.Width = ActivationWindow;
                    break;
            }
        }
        if (mqsFailed)
        {
            var backoff = delay > TimeSpan.Zero ? delay : UnpacedBackoff;
            _backoffUntil = time.GetUtcNow() + backoff;
            _probing = true;
            window.ThrowIfFailed();
            return backoff;
        }
        window.ThrowIfFailed();
        var nextDue = await index.NextActivationDueAsync(cancellationToken);
        if (nextDue is null)
        {
            return null;
        }
        var untilDue = TimeSpan.FromSeconds(Math.Max(0, nextDue.Value - time.EpochSeconds()));
        return untilDue > delay ? untilDue : delay;
    }

    /// <summary>The first untried workflows in the contract's order, as many as the window has room for.</summary>
    private async Task<List<string>> NextCandidatesAsync(
        HashSet<string> tried, CallWindow<string, ActivationOutcome> window, CancellationToken cancellationToken)
    {
        var free = window.Free;
        // Tried workflows that finished are normally no longer listed (activated, or waiting for a later retry), so
        // the ones in flight plus the free slots are enough to ask for.
        var limit = window.Count + free;
        var listed = await index.ActivationCandidatesAsync(time.EpochSeconds(), limit, cancellationToken);
        var fresh = listed.Where(id => !tried.Contains(id)).Take(free).ToList();
        if (fresh.Count < free && listed.Count >= limit && tried.Count > window.Count)
        {
            // Finished ones are still listed (a retry already due again, or an index behind): asking for one more
            // than all tried ones per free slot always reaches the untried ones.
            listed = await index.ActivationCandidatesAsync(time.EpochSeconds(), tried.Count + free, cancellationToken);
            fresh = listed.Where(id => !tried.Contains(id)).Take(free).ToList();
        }
        return fresh;
    }
}
