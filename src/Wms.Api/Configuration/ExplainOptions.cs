namespace Wms.Api.Configuration;

/// <summary>What explanations judge by, and how often each silo shares the TMS polls it served.</summary>
public sealed class ExplainOptions
{
    /// <summary>
    /// A schedd whose TMS has not asked for work of a kind for longer than this looks down. The TMS polls every
    /// minute while it has nothing to do, so a few minutes of silence is not a busy TMS.
    /// </summary>
    public TimeSpan TmsSilentAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often each silo writes the latest polls it served to where the other silos read them.</summary>
    public TimeSpan PollFlushInterval { get; set; } = TimeSpan.FromSeconds(5);
}
