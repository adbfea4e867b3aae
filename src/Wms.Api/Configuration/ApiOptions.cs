namespace Wms.Api.Configuration;

/// <summary>What requests are checked against: the known pools and pilot images.</summary>
public sealed class ApiOptions
{
    /// <summary>Location name → its collector and schedd.</summary>
    public Dictionary<string, CondorPool> ClusterLocations { get; set; } = [];

    /// <summary>A directory whose entries are named <c>ewms-pilot:&lt;tag&gt;</c>, as on CVMFS; wins over the list.</summary>
    public string? PilotImagesDirectory { get; set; }

    /// <summary>Known pilot tags, used when no directory is set.</summary>
    public List<string> PilotTags { get; set; } = [];

    /// <summary>
    /// How many bytes of objects one page of a <c>/v1</c> find holds at most (upstream's default, 10 MiB); a page
    /// holds at least one object whatever its size, so a find always ends.
    /// </summary>
    public long UserQueryMaxBytes { get; set; } = 10 * 1024 * 1024;
}
