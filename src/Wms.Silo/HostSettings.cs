using Microsoft.Extensions.Options;
using Wms.Api.Auth;
using Wms.Silo.Configuration;

namespace Wms.Silo;

/// <summary>
/// The settings the host needs while it is still being built: where to listen, which storage and cluster, whether
/// authentication is on. They come from the same Options registrations as the running host's
/// (<see cref="WmsSettings.AddWmsSettings"/>), so they are bound and validated as there; reading them validates
/// every setting, so a bad one stops the build, by its name, before anything is touched.
/// </summary>
public sealed record HostSettings(
    RestOptions Rest, SiloEndpointOptions Silo, StorageOptions Storage, WmsAuthOptions Auth, AuthState AuthState,
    OperationsOptions Operations)
{
    /// <exception cref="InvalidOperationException">
    /// A setting is refused. The message holds every refusal, each naming its setting; the inner exception is the
    /// Options pipeline's.
    /// </exception>
    public static HostSettings Read(IConfiguration configuration, UpstreamValues upstream) => Refusing(() =>
    {
        using var settings = Registered(configuration, upstream);
        settings.GetRequiredService<IStartupValidator>().Validate();
        var storage = Value<StorageOptions>(settings);
        var auth = Value<WmsAuthOptions>(settings);
        return new HostSettings(Value<RestOptions>(settings), Value<SiloEndpointOptions>(settings), storage, auth,
            auth.Resolve(durableStorage: storage.IsPostgres), Value<OperationsOptions>(settings));
    });

    /// <summary>The storage settings alone, validated: what the 'migrate' command needs (no authentication).</summary>
    /// <exception cref="InvalidOperationException">A storage setting is refused.</exception>
    public static StorageOptions ReadStorage(IConfiguration configuration, UpstreamValues upstream) => Refusing(() =>
    {
        using var settings = Registered(configuration, upstream);
        return Value<StorageOptions>(settings);
    });

    /// <summary>The operations settings alone, validated: how the 'migrate' command logs.</summary>
    /// <exception cref="InvalidOperationException">An operations setting is refused.</exception>
    public static OperationsOptions ReadOperations(IConfiguration configuration, UpstreamValues upstream) => Refusing(() =>
    {
        using var settings = Registered(configuration, upstream);
        return Value<OperationsOptions>(settings);
    });

    private static ServiceProvider Registered(IConfiguration configuration, UpstreamValues upstream) =>
        new ServiceCollection().AddWmsSettings(configuration, upstream).BuildServiceProvider();

    private static T Value<T>(IServiceProvider settings)
        where T : class => settings.GetRequiredService<IOptions<T>>().Value;

    /// <summary>One exception for every refused setting, whichever options types they belong to.</summary>
    private static T Refusing<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (OptionsValidationException e)
        {
            throw new InvalidOperationException(string.Join("; ", e.Failures), e);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is OptionsValidationException))
        {
            var failures = e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(inner => inner.Failures);
            throw new InvalidOperationException(string.Join("; ", failures), e);
        }
    }
}
