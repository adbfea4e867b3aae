namespace Wms.Domain.Watch;

/// <summary>
/// The workflow ids someone watches, each until its lease runs out: what a silo's grains look up on every change,
/// and what the registry hands each silo. Times are milliseconds on the owner's own clock.
/// </summary>
/// <remarks>
/// Reads are a lock-free look at an immutable map, and the map is empty for a service nobody watches, so the lookup
/// costs next to nothing on the hottest write path. Changes are rare (a workflow's first watcher, a refresh every
/// few seconds) and copy the map under a lock.
/// </remarks>
public sealed class WatchedSet
{
    private readonly Lock _gate = new();
    private volatile Dictionary<string, long> _until = new(StringComparer.Ordinal);

    /// <summary>How many ids are held, expired ones not yet pruned included.</summary>
    public int Count => _until.Count;

    /// <summary>Whether <paramref name="workflowId"/> is watched at <paramref name="now"/>.</summary>
    public bool Contains(string workflowId, long now)
    {
        var until = _until;
        return until.Count > 0 && until.TryGetValue(workflowId, out var end) && end > now;
    }

    /// <summary>
    /// Holds <paramref name="workflowId"/> until <paramref name="until"/>, or keeps the later end it has; true when it
    /// was not watched before (absent, or its lease over at <paramref name="now"/>).
    /// </summary>
    public bool Add(string workflowId, long until, long now)
    {
        lock (_gate)
        {
            var current = _until;
            var had = current.TryGetValue(workflowId, out var end);
            if (had && end >= until)
            {
                return end <= now;
            }
            _until = new Dictionary<string, long>(current, StringComparer.Ordinal) { [workflowId] = until };
            return !had || end <= now;
        }
    }

    /// <summary>Adds every lease of <paramref name="leases"/> (keeping the later end of each), in one copy.</summary>
    public void AddAll(IEnumerable<KeyValuePair<string, long>> leases)
    {
        lock (_gate)
        {
            Dictionary<string, long>? next = null;
            foreach (var (workflowId, until) in leases)
            {
                var map = next ?? _until;
                if (map.TryGetValue(workflowId, out var end) && end >= until)
                {
                    continue;
                }
                next ??= new Dictionary<string, long>(_until, StringComparer.Ordinal);
                next[workflowId] = until;
            }
            if (next is not null)
            {
                _until = next;
            }
        }
    }

    /// <summary>Drops the ids whose lease is over at <paramref name="now"/>; returns how many.</summary>
    public int Prune(long now)
    {
        lock (_gate)
        {
            var current = _until;
            var expired = current.Count(e => e.Value <= now);
            if (expired > 0)
            {
                _until = current.Where(e => e.Value > now).ToDictionary(StringComparer.Ordinal);
            }
            return expired;
        }
    }

    /// <summary>The ids watched at <paramref name="now"/> and how long each lease has left, in milliseconds.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Remaining(long now) =>
        [.. _until.Where(e => e.Value > now).Select(e => KeyValuePair.Create(e.Key, e.Value - now))];
}
