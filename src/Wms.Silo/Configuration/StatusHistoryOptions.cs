using Wms.Domain.Rules;

namespace Wms.Silo.Configuration;

/// <summary>Whether the status history of each taskforce is kept, and how much of it (<see cref="StatusHistoryRetention"/>).</summary>
public sealed class StatusHistoryOptions
{
    /// <summary>On unless turned off; off, nothing is recorded and every history reads empty.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Entries younger than this are kept whole.</summary>
    public TimeSpan RecentAge { get; set; } = StatusHistoryRetention.DefaultRecentAge;

    /// <summary>This many newest entries are kept whole, whatever their age.</summary>
    public int RecentEntries { get; set; } = StatusHistoryRetention.DefaultRecentEntries;

    /// <summary>Older entries are thinned to at most one per interval of this length.</summary>
    public TimeSpan Interval { get; set; } = StatusHistoryRetention.DefaultInterval;

    /// <summary>The most entries a taskforce keeps, its first one included.</summary>
    public int MaxEntries { get; set; } = StatusHistoryRetention.DefaultMaxEntries;

    public StatusHistoryRetention Retention() => new(RecentAge, RecentEntries, Interval, MaxEntries);
}
