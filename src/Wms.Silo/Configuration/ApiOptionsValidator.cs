using Wms.Api.Configuration;

namespace Wms.Silo.Configuration;

public sealed class ApiOptionsValidator(UpstreamValues upstream) : SettingsValidator<ApiOptions>(upstream, Section)
{
    private const string Section = SettingsSections.Api;

    protected override void Check(ApiOptions options, List<string> failures)
    {
        Require(failures, options.UserQueryMaxBytes >= 1, $"{Section}:{nameof(ApiOptions.UserQueryMaxBytes)}",
            options.UserQueryMaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var owner = options.ClusterLocations.Keys.ToDictionary(n => n, n => n, StringComparer.Ordinal);
        foreach (var (name, pool) in options.ClusterLocations)
        {
            if (string.IsNullOrEmpty(pool.Collector) || string.IsNullOrEmpty(pool.Schedd))
            {
                failures.Add($"WMS_CLUSTER_LOCATIONS: location '{name}' needs a non-empty collector and schedd");
            }
            foreach (var alias in pool.Aliases)
            {
                if (string.IsNullOrEmpty(alias))
                {
                    failures.Add($"WMS_CLUSTER_LOCATIONS: location '{name}' has an empty alias");
                }
                else if (!owner.TryAdd(alias, name) && owner[alias] != name)
                {
                    failures.Add($"WMS_CLUSTER_LOCATIONS: '{alias}' names both '{owner[alias]}' and '{name}'");
                }
            }
        }
    }
}
