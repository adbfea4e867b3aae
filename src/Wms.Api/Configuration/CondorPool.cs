namespace Wms.Api.Configuration;

/// <summary>The HTCondor collector and schedd of one cluster location, and other names users may give it.</summary>
public sealed class CondorPool
{
    public string Collector { get; set; } = "";
    public string Schedd { get; set; } = "";

    /// <summary>Names that mean this location too, as upstream's <c>sub-2</c> and <c>OSG</c> mean <c>osg</c>.</summary>
    public List<string> Aliases { get; set; } = [];
}
