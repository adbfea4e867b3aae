using Microsoft.Extensions.Options;
using Wms.Api.Configuration;

namespace Wms.Silo.Configuration;

/// <summary>
/// A one-box start's pool and pilot tag, used when none are configured. Applied after binding, since a binder adds
/// configured items to a list or dictionary rather than replacing what it already holds.
/// </summary>
public sealed class ApiOptionsDefaults : IPostConfigureOptions<ApiOptions>
{
    public const string DefaultLocation = "sub-2";

    /// <summary>Used only when neither a pilot image directory nor a tag list is configured.</summary>
    public const string DefaultPilotTag = "1.0.0";

    public static CondorPool DefaultPool() =>
        new() { Collector = "glidein-cm.icecube.wisc.edu", Schedd = "sub-2.icecube.wisc.edu" };

    public void PostConfigure(string? name, ApiOptions options)
    {
        if (options.ClusterLocations.Count == 0)
        {
            options.ClusterLocations = new Dictionary<string, CondorPool> { [DefaultLocation] = DefaultPool() };
        }
        if (options.PilotTags.Count == 0 && string.IsNullOrWhiteSpace(options.PilotImagesDirectory))
        {
            options.PilotTags = [DefaultPilotTag];
        }
    }
}
