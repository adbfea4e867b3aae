using Microsoft.Extensions.Options;
using Wms.Domain.Model;

namespace Wms.Api.Configuration;

/// <summary>Resolves cluster location names from configuration.</summary>
public sealed class ClusterLocationCatalog(IOptions<ApiOptions> options)
{
    public ClusterLocation? Find(string name) =>
        options.Value.ClusterLocations.TryGetValue(name, out var pool)
            ? new ClusterLocation(name, pool.Collector, pool.Schedd)
            : null;
}
