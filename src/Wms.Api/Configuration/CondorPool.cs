namespace Wms.Api.Configuration;

/// <summary>The HTCondor collector and schedd of one cluster location.</summary>
public sealed class CondorPool
{
    public string Collector { get; set; } = "";
    public string Schedd { get; set; } = "";
}
