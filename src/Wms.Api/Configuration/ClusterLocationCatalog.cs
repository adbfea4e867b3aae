using Microsoft.Extensions.Options;
using Wms.Domain.Model;
using Wms.Requests;

namespace Wms.Api.Configuration;

/// <summary>
/// Resolves cluster location names, and their aliases, from configuration. A location keeps the name the user gave
/// (a task directive shows it as asked); its taskforces get the pool's collector and schedd.
/// </summary>
public sealed class ClusterLocationCatalog(IOptions<ApiOptions> options) : IClusterLocationCatalog
{
    private readonly Dictionary<string, CondorPool> _byName = ByName(options.Value.ClusterLocations);

    public ClusterLocation? Find(string name) =>
        _byName.TryGetValue(name, out var pool) ? new ClusterLocation(name, pool.Collector, pool.Schedd) : null;

    private static Dictionary<string, CondorPool> ByName(IReadOnlyDictionary<string, CondorPool> locations)
    {
        var byName = new Dictionary<string, CondorPool>(StringComparer.Ordinal);
        foreach (var (name, pool) in locations)
        {
            byName[name] = pool;
        }
        // A location's own name wins over another's alias; start-up refuses such a clash anyway.
        foreach (var (_, pool) in locations)
        {
            foreach (var alias in pool.Aliases)
            {
                byName.TryAdd(alias, pool);
            }
        }
        return byName;
    }
}
