using Wms.Api.Auth;

namespace Wms.Silo.Configuration;

/// <summary>
/// Authentication must be whole when it is on, and on (or off on purpose) with PostgreSQL storage, which is a
/// production set-up; <see cref="WmsAuthOptions.Resolve"/> holds the rules and names the AUTH_* settings.
/// </summary>
public sealed class WmsAuthOptionsValidator(UpstreamValues upstream, StorageChoice storage)
    : SettingsValidator<WmsAuthOptions>(upstream, Section)
{
    private const string Section = SettingsSections.Auth;

    protected override void Check(WmsAuthOptions options, List<string> failures)
    {
        var durable = storage.IsPostgres;
        try
        {
            options.Resolve(durableStorage: durable);
        }
        catch (InvalidOperationException e)
        {
            failures.Add(e.Message);
        }
    }
}
