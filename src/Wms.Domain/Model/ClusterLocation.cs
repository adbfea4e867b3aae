namespace Wms.Domain.Model;

/// <summary>A named HTCondor pool and the collector and schedd that serve it.</summary>
[GenerateSerializer, Immutable, Alias("Wms.ClusterLocation")]
public sealed record ClusterLocation(
    [property: Id(0)] string Name,
    [property: Id(1)] string Collector,
    [property: Id(2)] string Schedd);
