namespace Wms.GrainInterfaces.Watch;

/// <summary>How live watching keeps its events and its lists of who watches what (section <c>Watch</c>).</summary>
public sealed class WatchOptions
{
    /// <summary>Events kept per watched workflow, for watchers that fall behind and clients that reconnect.</summary>
    public int BufferedEvents { get; set; } = 512;

    /// <summary>How long a workflow's events are kept after its last watcher left, so that a reconnect can resume.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How often watchers and directories register again: what heals them after the silo of a registry or events
    /// grain left the cluster.
    /// </summary>
    public TimeSpan RefreshPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an idle stream sends a comment line, so that proxies keep the connection open.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Events queued for one client before it counts as too slow and is disconnected (it resumes).</summary>
    public int ClientQueue { get; set; } = 256;

    /// <summary>
    /// How long a workflow stays in the directories after it was last marked watched: a refresh period for its
    /// watchers to renew, then the grace period.
    /// </summary>
    public TimeSpan Lease => RefreshPeriod + Grace;
}
