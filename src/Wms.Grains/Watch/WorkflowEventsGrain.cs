using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wms.Domain.Watch;
using Wms.GrainInterfaces.Watch;

namespace Wms.Grains.Watch;

/// <summary>
/// Numbers the changes of one watched workflow, keeps the newest (<see cref="WatchOptions.BufferedEvents"/>) and
/// sends them on to each silo's watcher in order. It keeps nothing durable: a new activation is a new epoch, which
/// watchers notice at their next renewal and answer with a fresh snapshot for their clients.
/// </summary>
/// <remarks>
/// Each watcher has one send in flight at a time, carrying everything it has not yet been sent, so events reach it
/// in order, in batches under load, and a slow silo holds up only its own sends. The sends run beside the grain's
/// turns, so publishing never waits for a watcher.
/// </remarks>
public sealed partial class WorkflowEventsGrain(
    IOptions<WatchOptions> options, TimeProvider time, ILogger<WorkflowEventsGrain> logger)
    : Grain, IWorkflowEventsGrain
{
    /// <summary>Most events in one send: a watcher far behind catches up in a few calls of bounded size.</summary>
    private const int MaxBatch = 256;

    private readonly string _epoch = EventPosition.NewEpoch();
    private readonly EventRing<WatchEvent> _ring = new(options.Value.BufferedEvents);
    private readonly Dictionary<string, Watcher> _watchers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _taskforceRevisions = new(StringComparer.Ordinal);
    private long _workflowRevision;
    private long? _leaseRenewedAt;
    private long _idleSince;

    private WatchOptions Options => options.Value;

    private string WorkflowId => this.GetPrimaryKeyString();

    private long Now => time.GetTimestamp() * 1000 / time.TimestampFrequency;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _idleSince = Now;
        this.RegisterGrainTimer(CheckAsync, new GrainTimerCreationOptions(Options.RefreshPeriod, Options.RefreshPeriod));
        return Task.CompletedTask;
    }

    public Task PublishAsync(WatchEvent change)
    {
        if (IsStale(change))
        {
            return Task.CompletedTask;
        }
        _ring.Append(change with { Sequence = _ring.Last + 1 });
        foreach (var watcher in _watchers.Values)
        {
            Pump(watcher);
        }
        return Task.CompletedTask;
    }

    public async Task<WatchSubscription> WatchAsync(string watcherId, IWorkflowEventsObserver observer)
    {
        // The directories first: once the answer is given, every change of the workflow must reach this grain.
        await RenewLeaseAsync();
        var now = Now;
        if (_watchers.TryGetValue(watcherId, out var known))
        {
            known.Observer = observer;
            known.RenewedAt = now;
            Pump(known);
            return new WatchSubscription(_epoch, known.Sent, Renewed: true);
        }
        _watchers[watcherId] = new Watcher(watcherId, observer) { Sent = _ring.Last, RenewedAt = now };
        return new WatchSubscription(_epoch, _ring.Last, Renewed: false);
    }

    public Task UnwatchAsync(string watcherId)
    {
        if (_watchers.Remove(watcherId) && _watchers.Count == 0)
        {
            _idleSince = Now;
        }
        return Task.CompletedTask;
    }

    public Task<ResumeAnswer> ReadSinceAsync(string epoch, long sequence)
    {
        var cause = Resumption.SnapshotCauseFor(new EventPosition(epoch, sequence), true, _epoch, _ring.Oldest, _ring.Last);
        return Task.FromResult(cause is null
            ? new ResumeAnswer(_epoch, _ring.After(sequence), null)
            : new ResumeAnswer(_epoch, null, cause));
    }

    /// <summary>
    /// A change older than one already numbered: a taskforce's calls arrive in the order it made them almost
    /// always, but nothing promises it, and an older summary sent last would show a watcher a state long gone.
    /// </summary>
    private bool IsStale(WatchEvent change)
    {
        if (change.Taskforce is { } tf)
        {
            if (_taskforceRevisions.TryGetValue(tf.TaskforceUuid, out var seen) && seen >= tf.Revision)
            {
                return true;
            }
            _taskforceRevisions[tf.TaskforceUuid] = tf.Revision;
            return false;
        }
        // A workflow's own changes may repeat its revision (workers added change no member of it).
        if (_workflowRevision > change.WorkflowRevision)
        {
            return true;
        }
        _workflowRevision = change.WorkflowRevision;
        return false;
    }

    /// <summary>Marks the workflow watched with the registry, at most twice a refresh period.</summary>
    private async Task RenewLeaseAsync()
    {
        var now = Now;
        if (_leaseRenewedAt is { } renewed && now - renewed < Options.RefreshPeriod.TotalMilliseconds / 2)
        {
            return;
        }
        await GrainFactory.GetGrain<IWatchRegistryGrain>(0).WatchAsync(WorkflowId);
        _leaseRenewedAt = now;
    }

    private void Pump(Watcher watcher)
    {
        if (watcher.Sending || watcher.Sent >= _ring.Last)
        {
            return;
        }
        watcher.Sending = true;
        _ = SendAsync(watcher);
    }

    private async Task SendAsync(Watcher watcher)
    {
        try
        {
            while (_watchers.GetValueOrDefault(watcher.Id) == watcher && watcher.Sent < _ring.Last)
            {
                if (_ring.After(watcher.Sent, MaxBatch) is { } batch)
                {
                    await watcher.Observer.OnEventsAsync(_epoch, batch);
                    watcher.Sent = Math.Max(watcher.Sent, batch[^1].Sequence);
                }
                else
                {
                    // It fell behind further than the events kept: its clients start again from a snapshot.
                    var restartAt = _ring.Last;
                    await watcher.Observer.OnRestartAsync(_epoch, restartAt);
                    watcher.Sent = Math.Max(watcher.Sent, restartAt);
                }
            }
        }
        catch (Exception e)
        {
            // Its silo left, or no longer has it: forget it. A live watcher registers again at its next renewal and,
            // told it was not known, sends its clients a fresh snapshot.
            if (_watchers.GetValueOrDefault(watcher.Id) == watcher)
            {
                _watchers.Remove(watcher.Id);
                if (_watchers.Count == 0)
                {
                    _idleSince = Now;
                }
            }
            LogWatcherDropped(logger, e, WorkflowId);
        }
        finally
        {
            watcher.Sending = false;
        }
    }

    /// <summary>
    /// Forgets watchers that stopped renewing (their silo died without a word), and once nobody has watched for the
    /// grace period, lets the activation go with its events.
    /// </summary>
    private Task CheckAsync(CancellationToken cancellation)
    {
        var now = Now;
        var silent = (long)(2 * Options.RefreshPeriod.TotalMilliseconds) + 5_000;
        foreach (var watcher in _watchers.Values.Where(w => now - w.RenewedAt > silent).ToList())
        {
            _watchers.Remove(watcher.Id);
            _idleSince = now;
        }
        if (_watchers.Count == 0 && now - _idleSince >= Options.Grace.TotalMilliseconds)
        {
            DeactivateOnIdle();
        }
        return Task.CompletedTask;
    }

    private sealed class Watcher(string id, IWorkflowEventsObserver observer)
    {
        public string Id { get; } = id;
        public IWorkflowEventsObserver Observer { get; set; } = observer;
        public long Sent { get; set; }
        public long RenewedAt { get; set; }
        public bool Sending { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A watcher of {WorkflowId} could not be reached and is forgotten")]
    private static partial void LogWatcherDropped(ILogger logger, Exception error, string workflowId);
}
