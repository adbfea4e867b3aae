using Wms.Api.Configuration;

namespace Wms.Silo.Configuration;

public sealed class ApiOptionsValidator(UpstreamValues upstream) : SettingsValidator<ApiOptions>(upstream, Section)
{
    private const string Section = SettingsSections.Api;

    protected override void Check(ApiOptions options, List<string> failures)
    {
        foreach (var (name, pool) in options.ClusterLocations)
        {
            if (string.IsNullOrEmpty(pool.Collector) || string.IsNullOrEmpty(pool.Schedd))
            {
                failures.Add($"WMS_CLUSTER_LOCATIONS: location '{name}' needs a non-empty collector and schedd");
            }
        }
    }
}
