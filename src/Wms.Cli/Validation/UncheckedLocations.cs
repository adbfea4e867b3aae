using Wms.Domain.Model;
using Wms.Requests;

namespace Wms.Cli.Validation;

/// <summary>
/// Admits any cluster location: which pools exist is the service's configuration, which a client cannot know, so
/// the service judges the names when the request arrives.
/// </summary>
public sealed class UncheckedLocations : IClusterLocationCatalog
{
    public static readonly UncheckedLocations Instance = new();

    public ClusterLocation? Find(string name) => new(name, Collector: "", Schedd: "");
}
