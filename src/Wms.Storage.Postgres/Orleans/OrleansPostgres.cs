using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;

namespace Wms.Storage.Postgres;

/// <summary>
/// Configures Orleans' ADO.NET providers (clustering, grain storage, reminders) for the PostgreSQL schema of
/// <c>Migrations/0001_orleans_schema.sql</c>. Run <see cref="SchemaMigrator"/> before the first silo starts:
/// Orleans reads its queries from the database at start-up and aborts if any is missing.
/// </summary>
public static class OrleansPostgres
{
    /// <summary>The ADO.NET invariant Orleans uses to load Npgsql; storage would default to SQL Server.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>The schema holding every Orleans table, including the query table.</summary>
    public const string Schema = "orleans";

    /// <summary>
    /// The connection string Orleans' providers need: the application's, with the search path set to the Orleans
    /// schema (Orleans names its query table unqualified and has no schema option) and the session time zone set
    /// to UTC (belt and braces: every time column is timestamptz). Orleans sends the same few statements over and
    /// over as plain text; automatic preparation spares PostgreSQL parsing and planning each of them every time.
    /// No reset on close, unless the string says otherwise: with prepared statements, Npgsql's reset of a returned
    /// connection is seven statements, and Orleans opens a connection per operation, so the resets would outnumber
    /// the statements doing its real work. None of Orleans' statements leaves session state.
    /// </summary>
    public static string ProviderConnectionString(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = Schema, Timezone = "UTC" };
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 32;
            builder.AutoPrepareMinUsages = 2;
        }
        if (!ConnectionStringKeys.Sets(connectionString, "No Reset On Close"))
        {
            builder.NoResetOnClose = true;
        }
        return builder.ConnectionString;
    }

    /// <summary>ADO.NET clustering, grain storage under each of <paramref name="storageNames"/>, and reminders.</summary>
    public static ISiloBuilder UsePostgresOrleans(
        this ISiloBuilder builder, string connectionString, params string[] storageNames)
    {
        builder.UsePostgresClustering(connectionString).UsePostgresReminderService(connectionString);
        foreach (var name in storageNames)
        {
            builder.AddPostgresGrainStorage(name, connectionString);
        }
        return builder;
    }

    /// <summary>ADO.NET membership (the cluster is keyed by <see cref="ClusterOptions.ClusterId"/>).</summary>
    public static ISiloBuilder UsePostgresClustering(this ISiloBuilder builder, string connectionString)
    {
        var providerConnectionString = ProviderConnectionString(connectionString);
        return builder.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = providerConnectionString;
        });
    }

    /// <summary>ADO.NET gateway list for an external client of a cluster using <see cref="UsePostgresClustering(ISiloBuilder, string)"/>.</summary>
    public static IClientBuilder UsePostgresClustering(this IClientBuilder builder, string connectionString)
    {
        var providerConnectionString = ProviderConnectionString(connectionString);
        return builder.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = providerConnectionString;
        });
    }

    /// <summary>
    /// A named ADO.NET grain storage (rows keyed by <see cref="ClusterOptions.ServiceId"/>, state name and grain key;
    /// the provider name is not part of the identity, so use state names unique per grain type). Concurrent writes
    /// of different grains share round trips and transactions (<see cref="GroupedGrainStorage"/>); configure
    /// <see cref="GroupedGrainStorageOptions"/> under the same name to tune or turn that off.
    /// </summary>
    public static ISiloBuilder AddPostgresGrainStorage(
        this ISiloBuilder builder,
        string name,
        string connectionString,
        Action<AdoNetGrainStorageOptions>? configure = null)
    {
        var providerConnectionString = ProviderConnectionString(connectionString);
        builder.AddAdoNetGrainStorage(name, options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = providerConnectionString;
            configure?.Invoke(options);
        });
        // Orleans' registration stays as it is (options, validation, and the lifecycle participant, which resolves
        // the storage by name); only the storage it resolves is swapped for the grouped one around the provider.
        var plain = builder.Services.LastOrDefault(d =>
            d.IsKeyedService && d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, name))
            ?? throw new InvalidOperationException($"Orleans registered no grain storage named '{name}'.");
        builder.Services.Remove(plain);
        builder.Services.AddKeyedSingleton<IGrainStorage>(name, (services, _) => GroupedGrainStorage.Create(services, name));
        return builder;
    }

    /// <summary>ADO.NET reminders (rows keyed by <see cref="ClusterOptions.ServiceId"/>).</summary>
    public static ISiloBuilder UsePostgresReminderService(this ISiloBuilder builder, string connectionString)
    {
        var providerConnectionString = ProviderConnectionString(connectionString);
        return builder.UseAdoNetReminderService(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = providerConnectionString;
        });
    }
}
