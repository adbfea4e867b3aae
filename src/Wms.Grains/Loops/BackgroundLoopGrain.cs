using Microsoft.Extensions.Logging;
using Orleans.Serialization.Invocation;

namespace Wms.Grains.Loops;

/// <summary>
/// A cluster-wide loop held by one grain: a grain timer gives the short beat, and a reminder, kept only while work
/// waits, brings the loop back after a silo dies. Rounds never overlap: the timer's turns do not interleave (a round
/// may still have several calls of its own in flight, see <see cref="CallWindow{TKey, TResult}"/>). Kicks and the
/// reminder's ticks do interleave with a round: one that arrives during it makes the loop look again as soon as the
/// round ends, since the round may have read its queue before the new work was stored.
/// </summary>
public abstract partial class BackgroundLoopGrain(ILogger logger, TimeSpan reminderPeriod) : Grain, IRemindable
{
    private ISiloStatusOracle? _silo;
    private IGrainTimer? _timer;
    private bool _reminderRegistered;
    private Task? _reminderChange;
    private bool _inRound;
    private bool _kickedInRound;
    private TaskCompletionSource _kick = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected abstract string LoopName { get; }

    /// <summary>Does the due work; returns when to look again, or null when nothing waits at all.</summary>
    protected abstract Task<TimeSpan?> RunRoundAsync(CancellationToken cancellationToken);

    /// <summary>
    /// True once this grain's silo has begun to leave the cluster. A round then starts nothing new and ends as soon
    /// as the calls it started are done: a silo's grains deactivate only once their running turns end (a timer's
    /// round is one), and under a steady stream of new work a round would never end by itself. The reminder brings
    /// the loop back on a silo that stays.
    /// </summary>
    protected bool SiloLeaving => _silo is { CurrentStatus: not SiloStatus.Active };

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _silo = ServiceProvider.GetService(typeof(ISiloStatusOracle)) as ISiloStatusOracle;
        _reminderRegistered = await this.GetReminder(LoopName, cancellationToken) is not null;
        _timer = this.RegisterGrainTimer(TickAsync,
            new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    /// <summary>New work may be waiting: look at once, or as soon as the running round ends.</summary>
    public async Task KickAsync()
    {
        Look();
        await EnsureReminderAsync(true);
    }

    /// <summary>
    /// The reminder fired, so it is registered: only look. The tick interleaves with a running round
    /// (<see cref="IsReminderTick"/>) and returns at once, since the reminder service waits for its ticks to be taken,
    /// and a stopping silo waits for its reminder service.
    /// </summary>
    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Look();
        return Task.CompletedTask;
    }

    /// <summary>
    /// The loops' interleaving rule (each loop class names it in its <c>[MayInterleave]</c>): a reminder's tick, like
    /// a kick, does not queue behind a running round, which under a steady stream of work may last long.
    /// </summary>
    protected static bool IsReminderTick(IInvokable request) => request.GetInterfaceType() == typeof(IRemindable);

    /// <summary>
    /// Completes when a kick arrives during the running round, so a round that waits on slow calls can start new
    /// work at once instead of after them; <see cref="TakeKick"/> arms it again.
    /// </summary>
    protected Task KickedDuringRound => _kick.Task;

    protected void TakeKick()
    {
        if (_kick.Task.IsCompleted)
        {
            _kick = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private void Look()
    {
        if (_inRound)
        {
            _kickedInRound = true;
            _kick.TrySetResult();
        }
        else
        {
            _timer?.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        _inRound = true;
        _kickedInRound = false;
        TakeKick();
        TimeSpan? next;
        try
        {
            next = await RunRoundAsync(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Only the timer's own cancellation ends the loop; any other cancelled call is a failed round, or the
            // timer would never be set again.
            LogRoundFailed(e, LoopName);
            next = TimeSpan.FromSeconds(1);
        }
        catch
        {
            _inRound = false;
            throw;
        }
        // Still "in the round" until the timer is set: a kick meanwhile must not be overwritten by the setting below.
        await EnsureReminderAsync(next is not null || _kickedInRound);
        if (_kickedInRound)
        {
            next = TimeSpan.Zero;
        }
        _inRound = false;
        _timer?.Change(next ?? Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Registers or drops the reminder; one change at a time, as a kick can interleave with a round's end.</summary>
    private async Task EnsureReminderAsync(bool wanted)
    {
        while (_reminderChange is { } running)
        {
            await running;
        }
        if (wanted == _reminderRegistered)
        {
            return;
        }
        var change = ChangeReminderAsync(wanted);
        _reminderChange = change;
        try
        {
            await change;
        }
        finally
        {
            _reminderChange = null;
        }
    }

    private async Task ChangeReminderAsync(bool wanted)
    {
        try
        {
            if (wanted)
            {
                await this.RegisterOrUpdateReminder(LoopName, reminderPeriod, reminderPeriod);
            }
            else if (await this.GetReminder(LoopName) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
            _reminderRegistered = wanted;
        }
        catch (Exception e)
        {
            // The timer still runs the loop; the reminder is only the safety net for restarts.
            LogReminderNotUpdated(e, LoopName);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Loop} round failed; trying again shortly")]
    private partial void LogRoundFailed(Exception error, string loop);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Loop} could not update its reminder")]
    private partial void LogReminderNotUpdated(Exception error, string loop);
}
