using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Wms.Api.Auth;
using Wms.Api.Configuration;
using Wms.GrainInterfaces.Configuration;
using Wms.GrainInterfaces.Watch;
using Wms.Grains.Mqs;

namespace Wms.Silo.Configuration;

/// <summary>Binds the service's options to their sections and validates them when the host starts.</summary>
public static class WmsSettings
{
    /// <summary>
    /// Registers every options type of the service, bound from its section of <paramref name="configuration"/> (into
    /// which <see cref="UpstreamSettings.AddTo"/> mapped the upstream names) and validated on start.
    /// </summary>
    public static IServiceCollection AddWmsSettings(
        this IServiceCollection services, IConfiguration configuration, UpstreamValues upstream)
    {
        services.AddSingleton(upstream);
        services.TryAddSingleton<StorageChoice>();
        services.AddSettings<RestOptions, RestOptionsValidator>(configuration, SettingsSections.Rest);
        services.AddSettings<SiloEndpointOptions, SiloEndpointOptionsValidator>(configuration, SettingsSections.Silo);
        services.AddSettings<StorageOptions, StorageOptionsValidator>(configuration, SettingsSections.Storage);
        services.AddSettings<WmsOptions, WmsOptionsValidator>(configuration, SettingsSections.Wms);
        services.AddSettings<MqsOptions, MqsOptionsValidator>(configuration, SettingsSections.Mqs);
        services.AddSettings<ApiOptions, ApiOptionsValidator>(configuration, SettingsSections.Api);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<ApiOptions>, ApiOptionsDefaults>());
        services.AddSettings<WmsAuthOptions, WmsAuthOptionsValidator>(configuration, SettingsSections.Auth);
        services.AddSettings<OperationsOptions, OperationsOptionsValidator>(configuration, SettingsSections.Operations);
        services.AddSettings<StatusHistoryOptions, StatusHistoryOptionsValidator>(
            configuration, SettingsSections.StatusHistory);
        services.AddSettings<ExplainOptions, ExplainOptionsValidator>(configuration, SettingsSections.Explain);
        services.AddSettings<WatchOptions, WatchOptionsValidator>(configuration, SettingsSections.Watch);
        return services;
    }

    private static void AddSettings<TOptions, TValidator>(
        this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
    }
}
