namespace Wms.Domain.Rules;

/// <summary>
/// Which entries of a taskforce's status history are kept. The recent ones (the last <see cref="RecentEntries"/>,
/// and any younger than <see cref="RecentAge"/>) are kept whole; older ones are thinned to the first of each
/// <see cref="Interval"/> (intervals counted from the epoch); the first entry ever is always kept; and then, past
/// <see cref="MaxEntries"/>, the oldest after the first are dropped.
/// </summary>
/// <remarks>
/// Keeping the first of each interval, on intervals fixed to the epoch, makes the rule stable: entries only ever
/// come after the ones kept, so an entry kept as old stays kept as time goes on, and applying the rule again keeps
/// everything it kept. The PostgreSQL history trims its table with the same rule in SQL.
/// </remarks>
public sealed class StatusHistoryRetention
{
    public static readonly TimeSpan DefaultRecentAge = TimeSpan.FromHours(1);
    public const int DefaultRecentEntries = 100;
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(10);
    public const int DefaultMaxEntries = 500;

    public static readonly StatusHistoryRetention Default =
        new(DefaultRecentAge, DefaultRecentEntries, DefaultInterval, DefaultMaxEntries);

    public StatusHistoryRetention(TimeSpan recentAge, int recentEntries, TimeSpan interval, int maxEntries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(recentAge, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(recentEntries);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        // The first entry and at least one more: a history must be able to show a change.
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 2);
        RecentAge = recentAge;
        RecentEntries = recentEntries;
        Interval = interval;
        MaxEntries = maxEntries;
    }

    /// <summary>Entries younger than this are kept whole.</summary>
    public TimeSpan RecentAge { get; }

    /// <summary>This many newest entries are kept whole, whatever their age.</summary>
    public int RecentEntries { get; }

    /// <summary>Older entries are thinned to at most one per interval of this length.</summary>
    public TimeSpan Interval { get; }

    /// <summary>The most entries a taskforce keeps, its first one included.</summary>
    public int MaxEntries { get; }

    public double RecentAgeSeconds => RecentAge.TotalSeconds;

    public double IntervalSeconds => Interval.TotalSeconds;

    /// <summary>The interval an entry falls in, as the SQL trim computes it too.</summary>
    public long IntervalOf(double timestamp) => (long)Math.Floor(timestamp / IntervalSeconds);

    /// <summary>
    /// The entries kept at <paramref name="now"/>, in their order; <paramref name="entries"/> must be oldest first.
    /// </summary>
    public IReadOnlyList<T> Apply<T>(IReadOnlyList<T> entries, Func<T, double> timestampOf, double now)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(timestampOf);
        var count = entries.Count;
        var thinned = new List<T>(Math.Min(count, MaxEntries + RecentEntries));
        long? lastInterval = null;
        for (var i = 0; i < count; i++)
        {
            var entry = entries[i];
            var timestamp = timestampOf(entry);
            var interval = IntervalOf(timestamp);
            var recent = i >= count - RecentEntries || timestamp >= now - RecentAgeSeconds;
            // Oldest first, so the first entry of an interval is the one that opens it.
            if (i == 0 || recent || interval != lastInterval)
            {
                thinned.Add(entry);
            }
            lastInterval = interval;
        }
        if (thinned.Count <= MaxEntries)
        {
            return thinned;
        }
        var capped = new List<T>(MaxEntries) { thinned[0] };
        capped.AddRange(thinned.Skip(thinned.Count - (MaxEntries - 1)));
        return capped;
    }
}
