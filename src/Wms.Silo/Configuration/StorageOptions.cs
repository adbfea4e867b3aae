using Wms.Storage.Postgres;

namespace Wms.Silo.Configuration;

/// <summary>Where the service's state lives: in memory (nothing survives a restart) or in PostgreSQL.</summary>
public sealed class StorageOptions
{
    public const string Memory = "memory";
    public const string Postgres = "postgres";

    /// <summary>
    /// A silo opens three pools (Orleans' providers, the query index's fixed statements and its finds). At Npgsql's
    /// default of 100 each, one silo under a burst could take more connections than a default PostgreSQL allows
    /// (100) and users would see errors; a smaller pool makes a burst wait for a connection instead.
    /// </summary>
    public const int DefaultPoolSize = 25;

    /// <summary><see cref="Memory"/> or <see cref="Postgres"/>.</summary>
    public string Kind { get; set; } = Memory;

    /// <summary>The PostgreSQL connection string, as configured.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Connections each of a silo's three PostgreSQL pools may open, unless the connection string says.
    /// </summary>
    public int PoolSize { get; set; } = DefaultPoolSize;

    /// <summary>
    /// How long a starting silo waits for PostgreSQL to answer before it gives up: a database that restarts, or
    /// starts beside the service, is waited for rather than crashed on.
    /// </summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public bool IsPostgres => Kind == Postgres;

    /// <summary>The connection string the pools use: the configured one, capped unless it caps itself.</summary>
    public string? ServiceConnectionString => ConnectionString is null ? null : WithPoolCap(ConnectionString, PoolSize);

    public static string WithPoolCap(string connectionString, int poolSize)
    {
        if (ConnectionStringKeys.Sets(connectionString, "Max Pool Size", "Maximum Pool Size"))
        {
            return connectionString;
        }
        return new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = poolSize }.ConnectionString;
    }
}
