using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wms.Domain.Watch;
using Wms.GrainInterfaces.Watch;

namespace Wms.Grains.Watch;

/// <summary>
/// The cluster's list of watched workflows and of the silos' directories (key 0). Nothing here is durable: a new
/// activation is filled again by the directories, which hand over what they know when they rejoin, and by the events
/// grains, which renew their workflows' leases as their watchers renew.
/// </summary>
public sealed partial class WatchRegistryGrain(
    IOptions<WatchOptions> options, TimeProvider time, ILogger<WatchRegistryGrain> logger)
    : Grain, IWatchRegistryGrain
{
    /// <summary>
    /// How long a push may take before its directory is dropped: a silo that does not answer is most likely dying,
    /// and must not hold up every new watcher until it is declared dead. It rejoins at its next refresh.
    /// </summary>
    private static readonly TimeSpan PushTimeout = TimeSpan.FromSeconds(5);

    private readonly WatchedSet _watched = new();
    private readonly Dictionary<string, Directory> _directories = new(StringComparer.Ordinal);

    private TimeSpan Lease => options.Value.Lease;

    private long Now => time.GetTimestamp() * 1000 / time.TimestampFrequency;

    public async Task WatchAsync(string workflowId)
    {
        var now = Now;
        if (!_watched.Add(workflowId, now + (long)Lease.TotalMilliseconds, now))
        {
            return;
        }
        var pushes = _directories.Values.Select(d => (Directory: d, Push: PushAsync(d, workflowId))).ToList();
        foreach (var (directory, push) in pushes)
        {
            if (!await push)
            {
                _directories.Remove(directory.Id);
            }
        }
    }

    public Task<List<WatchedLease>> JoinAsync(string directoryId, IWatchDirectoryObserver directory, List<WatchedLease> known)
    {
        var now = Now;
        _watched.AddAll(known.Select(k => KeyValuePair.Create(k.WorkflowId, now + (long)k.Remaining.TotalMilliseconds)));
        _watched.Prune(now);
        _directories[directoryId] = new Directory(directoryId, directory, now);
        // A directory that stopped rejoining belongs to a silo that is gone.
        var gone = (long)(3 * options.Value.RefreshPeriod.TotalMilliseconds);
        foreach (var stale in _directories.Values.Where(d => now - d.JoinedAt > gone).ToList())
        {
            _directories.Remove(stale.Id);
        }
        return Task.FromResult(_watched.Remaining(now)
            .Select(e => new WatchedLease(e.Key, TimeSpan.FromMilliseconds(e.Value))).ToList());
    }

    private async Task<bool> PushAsync(Directory directory, string workflowId)
    {
        try
        {
            await directory.Observer.WatchedAsync(workflowId, Lease).WaitAsync(PushTimeout);
            return true;
        }
        catch (Exception e)
        {
            LogPushFailed(logger, e, workflowId);
            return false;
        }
    }

    private sealed record Directory(string Id, IWatchDirectoryObserver Observer, long JoinedAt);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "A silo's directory did not take watched workflow {WorkflowId} in time; it is dropped until it rejoins")]
    private static partial void LogPushFailed(ILogger logger, Exception error, string workflowId);
}
