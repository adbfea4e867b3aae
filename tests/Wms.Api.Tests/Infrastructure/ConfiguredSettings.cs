using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wms.Silo.Configuration;

namespace Wms.Api.Tests.Infrastructure;

/// <summary>
/// The service's options on the given settings alone, registered as the host registers them: the upstream names
/// mapped into their sections, then bound and validated through the Options pipeline. Null leaves a setting out.
/// </summary>
public static class ConfiguredSettings
{
    public static ServiceProvider Services(params (string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value)));
        var upstream = UpstreamSettings.AddTo(configuration);
        return new ServiceCollection().AddWmsSettings(configuration, upstream).BuildServiceProvider();
    }

    /// <summary>The bound and validated <typeparamref name="T"/>.</summary>
    public static T Options<T>(params (string Key, string? Value)[] settings)
        where T : class
    {
        using var services = Services(settings);
        return services.GetRequiredService<IOptions<T>>().Value;
    }

    /// <summary>What a host start does first: validates every options type.</summary>
    public static void ValidateAll(params (string Key, string? Value)[] settings)
    {
        using var services = Services(settings);
        services.GetRequiredService<IStartupValidator>().Validate();
    }
}
