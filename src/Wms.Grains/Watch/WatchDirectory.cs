using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wms.Domain.Watch;
using Wms.GrainInterfaces.Watch;

namespace Wms.Grains.Watch;

/// <summary>
/// This silo's list of watched workflows, which its taskforce and workflow grains look up on every change: only a
/// change of a watched workflow is published (<see cref="WatchPublishing"/>), so a service nobody watches pays one
/// lookup in an empty map. The registry pushes each newly watched workflow here before the watcher's subscription
/// returns, and the directory joins it again every refresh period, which renews the leases and heals either side
/// after a silo left.
/// </summary>
public sealed partial class WatchDirectory(
    IGrainFactory grains, IOptions<WatchOptions> options, TimeProvider time, ILogger<WatchDirectory> logger)
    : IWatchDirectoryObserver, ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    /// <summary>The most a change's caller waits for its change to be numbered for the watchers.</summary>
    public static readonly TimeSpan MaxPublishWait = TimeSpan.FromMilliseconds(500);

    private readonly WatchedSet _watched = new();
    private readonly string _id = Guid.NewGuid().ToString("N");
    private readonly CancellationTokenSource _stop = new();
    private IWatchDirectoryObserver? _reference;
    private Task? _refreshing;

    /// <summary>Whether someone watches <paramref name="workflowId"/>; the hot path's only cost when nobody does.</summary>
    public bool IsWatched(string workflowId) => _watched.Count > 0 && _watched.Contains(workflowId, Now);

    /// <summary>
    /// Hands a change to its workflow's events grain and waits until it is numbered, for at most
    /// <see cref="MaxPublishWait"/>: a change's caller is never held up long by watching. One not numbered in time
    /// still arrives; one that fails (the events grain's silo is leaving) is lost to the watchers, who get a fresh
    /// snapshot when their renewal finds the new epoch.
    /// </summary>
    public async Task SendAsync(IWorkflowEventsGrain events, WatchEvent change)
    {
        try
        {
            await events.PublishAsync(change).WaitAsync(MaxPublishWait);
        }
        catch (Exception e)
        {
            LogPublishFailed(logger, e, change.Taskforce?.WorkflowId ?? change.Workflow?.WorkflowId);
        }
    }

    public Task WatchedAsync(string workflowId, TimeSpan lease)
    {
        _watched.Add(workflowId, Now + (long)lease.TotalMilliseconds, Now);
        return Task.CompletedTask;
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(WatchDirectory), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    public void Dispose() => _stop.Dispose();

    private long Now => time.GetTimestamp() * 1000 / time.TimestampFrequency;

    private async Task StartAsync(CancellationToken cancellation)
    {
        _reference = grains.CreateObjectReference<IWatchDirectoryObserver>(this);
        await JoinAsync();
        _refreshing = RefreshAsync(_stop.Token);
    }

    private async Task StopAsync(CancellationToken cancellation)
    {
        await _stop.CancelAsync();
        if (_refreshing is { } refreshing)
        {
            await refreshing;
        }
        if (_reference is { } reference)
        {
            grains.DeleteObjectReference<IWatchDirectoryObserver>(reference);
        }
    }

    private async Task RefreshAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.Value.RefreshPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                await JoinAsync();
            }
        }
        catch (OperationCanceledException)
        {
            // The silo is stopping.
        }
    }

    /// <summary>
    /// Hands the registry what this silo knows (which refills a registry that started again elsewhere) and takes
    /// back the whole list; a failure is logged and mended at the next period.
    /// </summary>
    private async Task JoinAsync()
    {
        var now = Now;
        _watched.Prune(now);
        var known = _watched.Remaining(now).Select(e => new WatchedLease(e.Key, TimeSpan.FromMilliseconds(e.Value))).ToList();
        try
        {
            var leases = await grains.GetGrain<IWatchRegistryGrain>(0).JoinAsync(_id, _reference!, known);
            var at = Now;
            _watched.AddAll(leases.Select(l => KeyValuePair.Create(l.WorkflowId, at + (long)l.Remaining.TotalMilliseconds)));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogJoinFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A change of watched workflow {WorkflowId} was not numbered in time")]
    private static partial void LogPublishFailed(ILogger logger, Exception error, string? workflowId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not reach the registry of watched workflows; trying again at the next refresh")]
    private static partial void LogJoinFailed(ILogger logger, Exception error);
}
