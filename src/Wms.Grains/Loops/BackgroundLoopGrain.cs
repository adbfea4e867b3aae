using Microsoft.Extensions.Logging;

namespace Wms.Grains.Loops;

/// <summary>
/// A cluster-wide loop held by one grain: a grain timer gives the short beat, and a reminder, kept only while work
/// waits, brings the loop back after a silo dies. Rounds never overlap: the grain is not reentrant (a round may
/// still have several calls of its own in flight, see <see cref="CallWindow{TKey, TResult}"/>).
/// </summary>
public abstract class BackgroundLoopGrain(ILogger logger, TimeSpan reminderPeriod) : Grain, IRemindable
{
    private IGrainTimer? _timer;
    private bool _reminderRegistered;

    protected abstract string LoopName { get; }

    /// <summary>Does the due work; returns when to look again, or null when nothing waits at all.</summary>
    protected abstract Task<TimeSpan?> RunRoundAsync(CancellationToken cancellationToken);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _reminderRegistered = await this.GetReminder(LoopName) is not null;
        _timer = this.RegisterGrainTimer(TickAsync,
            new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    /// <summary>New work may be waiting: look at once.</summary>
    public async Task KickAsync()
    {
        await EnsureReminderAsync(true);
        _timer?.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => KickAsync();

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        TimeSpan? next;
        try
        {
            next = await RunRoundAsync(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Only the timer's own cancellation ends the loop; any other cancelled call is a failed round, or the
            // timer would never be set again.
            logger.LogError(e, "{Loop} round failed; trying again shortly", LoopName);
            next = TimeSpan.FromSeconds(1);
        }
        await EnsureReminderAsync(next is not null);
        _timer?.Change(next ?? Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private async Task EnsureReminderAsync(bool wanted)
    {
        if (wanted == _reminderRegistered)
        {
            return;
        }
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
            logger.LogWarning(e, "{Loop} could not update its reminder", LoopName);
        }
    }
}
