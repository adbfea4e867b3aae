using System.Collections.Concurrent;
using Wms.Domain.Index;
using Wms.Domain.Model;

namespace Wms.Api.Telemetry;

/// <summary>
/// When each schedd's TMS last polled this silo, per kind of poll (pending-starter, pending-stopper). A TMS that
/// stopped polling is the first thing an operator needs to see, and the first question about a taskforce that is
/// not picked up. Kept in memory by each silo for the polls it served; the cluster's answer is the latest across
/// silos.
/// </summary>
/// <remarks>
/// Recording is on every poll's path: after a schedd's first poll it is a lookup and an atomic store, with no lock
/// and no allocation. At most <see cref="Capacity"/> pairs of schedd and kind are kept, so a caller naming endless
/// schedds cannot grow it without bound; callers that can should name only the schedds they know.
/// </remarks>
public sealed class ScheddPolls
{
    public const int Capacity = 1024;

    private readonly ConcurrentDictionary<(string Schedd, string Kind), LastPoll> _polls = new();
    private int _count;

    /// <summary>The UTC ticks of the latest poll, replaced atomically.</summary>
    private sealed class LastPoll
    {
        public long Ticks;
    }

    /// <summary>
    /// Notes a poll of <paramref name="kind"/> (<see cref="Phase.PendingStarter"/> or <see cref="Phase.PendingStopper"/>)
    /// by the TMS at <paramref name="schedd"/>, at <paramref name="at"/>; one older than that noted already changes
    /// nothing.
    /// </summary>
    public void Record(string schedd, string kind, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(schedd);
        if (kind is not (Phase.PendingStarter or Phase.PendingStopper))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "a poll is for pending-starter or pending-stopper");
        }
        if (!_polls.TryGetValue((schedd, kind), out var last))
        {
            if (Interlocked.Increment(ref _count) > Capacity)
            {
                Interlocked.Decrement(ref _count);
                return;
            }
            last = _polls.GetOrAdd((schedd, kind), _ => new LastPoll());
        }
        // Polls served at once may record out of order; the latest wins.
        var ticks = at.UtcTicks;
        var seen = Volatile.Read(ref last.Ticks);
        while (ticks > seen)
        {
            var before = Interlocked.CompareExchange(ref last.Ticks, ticks, seen);
            if (before == seen)
            {
                break;
            }
            seen = before;
        }
    }

    /// <summary>The latest poll of each schedd and kind noted so far, in no particular order.</summary>
    public IReadOnlyList<ScheddPoll> Snapshot() =>
        [.. _polls.Select(p => (p.Key, Ticks: Volatile.Read(ref p.Value.Ticks)))
            // A pair being added right now has no time yet.
            .Where(p => p.Ticks > 0)
            .Select(p => new ScheddPoll(p.Key.Schedd, p.Key.Kind, new DateTimeOffset(p.Ticks, TimeSpan.Zero)))];
}
