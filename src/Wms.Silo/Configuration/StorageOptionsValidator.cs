using System.Globalization;
using Npgsql;

namespace Wms.Silo.Configuration;

public sealed class StorageOptionsValidator(UpstreamValues upstream)
    : SettingsValidator<StorageOptions>(upstream, Section)
{
    private const string Section = SettingsSections.Storage;

    protected override void Check(StorageOptions options, List<string> failures)
    {
        Require(failures, options.Kind is StorageOptions.Memory or StorageOptions.Postgres,
            $"{Section}:{nameof(StorageOptions.Kind)}", options.Kind);
        Require(failures, options.PoolSize >= 1, $"{Section}:{nameof(StorageOptions.PoolSize)}",
            options.PoolSize.ToString(CultureInfo.InvariantCulture));
        RequireNotNegative(failures, options.StartupTimeout, $"{Section}:{nameof(StorageOptions.StartupTimeout)}");
        if (!options.IsPostgres)
        {
            return;
        }
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add("WMS_STORAGE=postgres needs a connection string in WMS_POSTGRES (or ConnectionStrings:Wms)");
        }
        else if (!IsConnectionString(options.ConnectionString))
        {
            // Never quoted: a connection string may hold a password.
            failures.Add("WMS_POSTGRES (or ConnectionStrings:Wms) is not a PostgreSQL connection string");
        }
    }

    private static bool IsConnectionString(string text)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(text);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
