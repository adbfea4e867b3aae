using Wms.Domain.Index;

namespace Wms.Api.Telemetry;

/// <summary>
/// The latest poll of each schedd and kind across the cluster: what every silo wrote to the store, merged with
/// what this silo served since its last write, the later time winning.
/// </summary>
/// <remarks>
/// The store's part is read at most once a second and shared: silos write it every few seconds
/// (<see cref="ScheddPollFlusher"/>), and a thousand watchers explaining at once should not read it a thousand times.
/// </remarks>
public sealed class ClusterScheddPolls(ScheddPolls local, IScheddPollStore store, TimeProvider? time = null)
{
    private static readonly TimeSpan StoreReuse = TimeSpan.FromSeconds(1);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private volatile StoreRead? _lastRead;

    public async Task<IReadOnlyDictionary<(string Schedd, string Kind), DateTimeOffset>> LatestAsync(
        CancellationToken cancellationToken = default)
    {
        var latest = new Dictionary<(string Schedd, string Kind), DateTimeOffset>();
        foreach (var poll in (await ReadStoreAsync(cancellationToken)).Concat(local.Snapshot()))
        {
            var key = (poll.Schedd, poll.Kind);
            if (!latest.TryGetValue(key, out var at) || at < poll.At)
            {
                latest[key] = poll.At;
            }
        }
        return latest;
    }

    private async Task<IReadOnlyList<ScheddPoll>> ReadStoreAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        if (_lastRead is { } last && _time.GetElapsedTime(last.At, now) < StoreReuse)
        {
            return last.Polls;
        }
        var polls = await store.ReadAsync(cancellationToken);
        _lastRead = new StoreRead(now, polls);
        return polls;
    }

    private sealed record StoreRead(long At, IReadOnlyList<ScheddPoll> Polls);
}
