using Microsoft.Extensions.Options;

namespace Wms.Silo.Configuration;

/// <summary>
/// Whether the state lives in PostgreSQL, for the rules of other settings that depend on it. Read as bound, without
/// validating the storage settings, so that a missing connection string does not hide that authentication is missing
/// too: the storage settings' own validator reports theirs.
/// </summary>
public sealed class StorageChoice(
    IEnumerable<IConfigureOptions<StorageOptions>> setups, IEnumerable<IPostConfigureOptions<StorageOptions>> postSetups)
{
    public bool IsPostgres => new OptionsFactory<StorageOptions>(setups, postSetups).Create(Options.DefaultName).IsPostgres;
}
