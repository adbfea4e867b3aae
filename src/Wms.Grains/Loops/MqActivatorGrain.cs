using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Serialization.Invocation;
using Wms.Domain.Index;
using Wms.Domain.Rules;
using Wms.GrainInterfaces.Configuration;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Outcomes;
using Wms.GrainInterfaces.Telemetry;

namespace Wms.Grains.Loops;

/// <summary>
/// Walks the workflows awaiting MQ activation in the contract's order, starting up to <see cref="ActivationWindow"/>
/// activations at once. A try-again-later or an MQS failure moves on to the next workflow: the failed one waits for
/// its own back-off, and failed ones never take the slots new work needs (<see cref="ActivationFairness"/>). A kick
/// during a round starts the new work at once, even while slow calls hold slots.
/// </summary>
[MayInterleave(nameof(MayInterleave))]
public sealed partial class MqActivatorGrain(
    IObjectIndex index, IOptions<WmsOptions> options, TimeProvider time, WmsMetrics metrics,
    ILogger<MqActivatorGrain> logger)
    : BackgroundLoopGrain(logger, options.Value.LoopReminderPeriod), IMqActivatorGrain
{
    /// <summary>A reminder's tick interleaves with a running round (<see cref="BackgroundLoopGrain.IsReminderTick"/>).</summary>
    public static bool MayInterleave(IInvokable request) => IsReminderTick(request);

    /// <summary>
    /// Activations in flight at once. Each one mostly waits (the MQS, grain state and index writes), so a few side by
    /// side multiply the rate; few enough that a failing MQS sees only a handful of calls before it looks down.
    /// </summary>
    public const int ActivationWindow = 12;

    /// <summary>How long to stay quiet when the MQS looks down and the loop is not paced (a delay of 0).</summary>
    private static readonly TimeSpan UnpacedBackoff = TimeSpan.FromSeconds(1);

    /// <summary>Most waiting workflows read at once when looking past failed ones for new work.</summary>
    private const int MaxListed = 10_000;

    private readonly ActivationFairness _fairness = new(ActivationWindow, time);

    protected override string LoopName => "mq-activator";

    protected override async Task<TimeSpan?> RunRoundAsync(CancellationToken cancellationToken)
    {
        var delay = options.Value.MqActivatorDelay;
        var quiet = delay > TimeSpan.Zero ? delay : UnpacedBackoff;
        if (_fairness.QuietLeft() is var left && left > TimeSpan.Zero)
        {
            // New workflows kick the loop all the time; that must not cut short the quiet of an MQS that looks down.
            return left;
        }
        var tried = new HashSet<string>();
        var window = new CallWindow<string, ActivationOutcome>(_fairness.Width);
        while (true)
        {
            window.Width = _fairness.Width;
            if (!window.Failed && window.Free > 0 && _fairness.QuietLeft() == TimeSpan.Zero && !SiloLeaving)
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
            var kicked = KickedDuringRound;
            if (await Task.WhenAny(window.AnyFinished(), kicked) == kicked)
            {
                TakeKick();
                continue;
            }
            var (id, succeeded, outcome) = await window.NextFinishedAsync();
            if (!succeeded)
            {
                // No more starts this round; the base class logs the exception and tries again shortly.
                metrics.MqActivationFailed();
                continue;
            }
            metrics.MqActivationAnswered(outcome!.Kind);
            switch (outcome.Kind)
            {
                case ActivationKind.MqsFailed:
                    var wasDown = _fairness.MqsLooksDown;
                    _fairness.Failed(id, quiet);
                    LogActivationFailed(id, outcome.Error);
                    if (!wasDown && _fairness.MqsLooksDown)
                    {
                        LogMqsLooksDown(_fairness.DownAfter, quiet);
                    }
                    break;
                case ActivationKind.Activated or ActivationKind.TryAgainLater:
                    if (_fairness.MqsLooksDown)
                    {
                        LogMqsAnswers();
                    }
                    _fairness.Answered(id);
                    break;
                default:
                    _fairness.Settled(id);
                    break;
            }
        }
        window.ThrowIfFailed();
        if (SiloLeaving)
        {
            // Not null: the reminder must stay, to bring the loop back on a silo that stays.
            return quiet;
        }
        if (_fairness.QuietLeft() is var quietLeft && quietLeft > TimeSpan.Zero)
        {
            return quietLeft;
        }
        var nextDue = await index.NextActivationDueAsync(cancellationToken);
        if (nextDue is null)
        {
            return null;
        }
        var untilDue = TimeSpan.FromSeconds(Math.Max(0, nextDue.Value - time.EpochSeconds()));
        return untilDue > delay ? untilDue : delay;
    }

    /// <summary>
    /// The next workflows to start, as many as the window has room for and fairness allows. Enough of the order is
    /// read to see past the tried, the running and the failed ones to new work behind them.
    /// </summary>
    private async Task<List<string>> NextCandidatesAsync(
        HashSet<string> tried, CallWindow<string, ActivationOutcome> window, CancellationToken cancellationToken)
    {
        var free = window.Free;
        var limit = Math.Min(MaxListed, window.Count + free + tried.Count + _fairness.FailedCount);
        var listed = await index.ActivationCandidatesAsync(time.EpochSeconds(), limit, cancellationToken);
        var failedInFlight = window.CountWhere(_fairness.HasFailed);
        return _fairness.Choose(listed.Where(id => !tried.Contains(id) && !window.IsRunning(id)), free, failedInFlight);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQ activation of {WorkflowId} failed: {Error}")]
    private partial void LogActivationFailed(string workflowId, string? error);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The MQS failed {Failures} activations in a row and looks down; one probe every {Quiet}")]
    private partial void LogMqsLooksDown(int failures, TimeSpan quiet);

    [LoggerMessage(Level = LogLevel.Information, Message = "The MQS answers again; MQ activation resumes")]
    private partial void LogMqsAnswers();
}
