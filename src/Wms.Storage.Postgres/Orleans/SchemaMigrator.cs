using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

// Namespace Wms.Storage.Postgres, not ...Orleans: a namespace ending in "Orleans" would shadow the Orleans
// namespace for every other file of this assembly (Index/ included) and of the test assembly.
namespace Wms.Storage.Postgres;

/// <summary>One versioned schema change: the SQL of <c>Migrations/NNNN_description.sql</c>.</summary>
public sealed record SchemaMigration(string Version, string Name, string Sql)
{
    /// <summary>The file name without extension, e.g. <c>0001_orleans_schema</c>.</summary>
    public string Id => $"{Version}_{Name}";

    /// <summary>SHA-256 of the SQL with line endings normalised, so a CRLF checkout does not look like an edit.</summary>
    public string Checksum { get; } =
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));
}

/// <summary>A migration recorded as applied no longer matches the SQL shipped with this build.</summary>
public sealed class SchemaMigrationChecksumException(string message) : Exception(message);

/// <summary>
/// Applies the embedded migrations (<c>Migrations/NNNN_description.sql</c>, in name order) that the database has not
/// seen yet. Each runs in its own transaction together with its row in <c>public.wms_schema_migrations</c>, so a
/// failure leaves neither a half-applied migration nor a record of it. Every transaction holds a transaction-level
/// advisory lock and re-checks what is applied under it, so silos migrating at the same time are harmless.
/// </summary>
public sealed partial class SchemaMigrator
{
    /// <summary>The advisory lock key that serialises migrators ("WMS_MIGR" in ASCII).</summary>
    public const long AdvisoryLockKey = 0x574D535F4D494752;

    private const string ResourcePrefix = "Wms.Storage.Postgres.Migrations.";

    // Qualified, so that the bookkeeping stays in one place whatever search path a connection string carries.
    private const string CreateHistoryTable = """
        CREATE TABLE IF NOT EXISTS public.wms_schema_migrations
        (
            version    text PRIMARY KEY,
            name       text NOT NULL,
            checksum   text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """;

    private readonly IReadOnlyList<SchemaMigration> _migrations;

    /// <summary>A migrator for the migrations embedded in this assembly.</summary>
    public SchemaMigrator()
        : this(EmbeddedMigrations())
    {
    }

    /// <summary>A migrator for another set of migrations, given as (file name, SQL); for tests.</summary>
    public SchemaMigrator(IEnumerable<(string FileName, string Sql)> migrations)
        : this(migrations.Select(m => Parse(m.FileName, m.Sql)).ToList())
    {
    }

    private SchemaMigrator(IReadOnlyList<SchemaMigration> migrations)
    {
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException(
                $"Migration version {duplicate.Key} is used twice: {string.Join(", ", duplicate.Select(m => m.Id))}.");
        }
        _migrations = migrations.OrderBy(m => m.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>The migrations this migrator applies, in order.</summary>
    public IReadOnlyList<SchemaMigration> Migrations => _migrations;

    /// <summary>Reads the migrations embedded in this assembly.</summary>
    public static IReadOnlyList<SchemaMigration> EmbeddedMigrations()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)
                        && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream, Encoding.UTF8);
                return Parse(n[ResourcePrefix.Length..], reader.ReadToEnd());
            })
            .ToList();
    }

    /// <summary>Applies every migration not yet applied; returns the ids of those it applied (empty if none).</summary>
    /// <exception cref="SchemaMigrationChecksumException">An applied migration has since been edited.</exception>
    public async Task<IReadOnlyList<string>> MigrateAsync(string connectionString, CancellationToken ct = default)
    {
        var applied = new List<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);

        // First pass under the lock: create the bookkeeping table and refuse edited migrations before changing
        // anything. The list of pending ones is only a hint; each is re-checked under the lock below.
        List<SchemaMigration> pending;
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            await LockAsync(connection, tx, ct);
            var recorded = await ReadAppliedAsync(connection, tx, ct);
            if (recorded is null)
            {
                // Only when missing: CREATE ... IF NOT EXISTS would still need CREATE rights on public.
                await ExecuteAsync(connection, tx, CreateHistoryTable, ct);
                recorded = [];
            }
            pending = _migrations.Where(m => !recorded.ContainsKey(m.Version)).ToList();
            await tx.CommitAsync(ct);
        }

        foreach (var migration in pending)
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            await LockAsync(connection, tx, ct);
            var recorded = await ReadAppliedAsync(connection, tx, ct);
            if (recorded!.ContainsKey(migration.Version))
            {
                // Another migrator applied it meanwhile (and its checksum was just verified).
                await tx.RollbackAsync(ct);
                continue;
            }
            try
            {
                await ExecuteAsync(connection, tx, migration.Sql, ct);
            }
            catch (PostgresException e)
            {
                throw new InvalidOperationException(
                    $"Migration {migration.Id} failed and was rolled back: {e.MessageText}", e);
            }
            await using (var record = new NpgsqlCommand(
                "INSERT INTO public.wms_schema_migrations (version, name, checksum) VALUES (@version, @name, @checksum)",
                connection, tx))
            {
                record.Parameters.AddWithValue("version", migration.Version);
                record.Parameters.AddWithValue("name", migration.Name);
                record.Parameters.AddWithValue("checksum", migration.Checksum);
                await record.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
            applied.Add(migration.Id);
        }
        return applied;
    }

    /// <summary>Whether every migration of this migrator is applied; reads only, takes no lock.</summary>
    /// <exception cref="SchemaMigrationChecksumException">An applied migration has since been edited.</exception>
    public async Task<bool> IsUpToDateAsync(string connectionString, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var recorded = await ReadAppliedAsync(connection, null, ct);
        return recorded is not null && _migrations.All(m => recorded.ContainsKey(m.Version));
    }

    private static SchemaMigration Parse(string fileName, string sql)
    {
        var match = FileNamePattern().Match(fileName);
        return match.Success
            ? new SchemaMigration(match.Groups[1].Value, match.Groups[2].Value, sql)
            : throw new ArgumentException(
                $"Migration file name '{fileName}' does not match NNNN_description.sql (lower case, digits, '_').");
    }

    /// <summary>Recorded migrations by version (null if the table does not exist), after checking checksums.</summary>
    private async Task<Dictionary<string, string>?> ReadAppliedAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, CancellationToken ct)
    {
        await using (var exists = new NpgsqlCommand(
            "SELECT to_regclass('public.wms_schema_migrations') IS NOT NULL", connection, tx))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(ct))!)
            {
                return null;
            }
        }
        var recorded = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(
            "SELECT version, checksum FROM public.wms_schema_migrations", connection, tx))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                recorded[reader.GetString(0)] = reader.GetString(1);
            }
        }
        foreach (var migration in _migrations)
        {
            if (recorded.TryGetValue(migration.Version, out var checksum) && checksum != migration.Checksum)
            {
                throw new SchemaMigrationChecksumException(
                    $"Migration {migration.Id} was applied with checksum {checksum} but its SQL now has checksum " +
                    $"{migration.Checksum}. Applied migrations must never be edited: restore the file and add a new " +
                    "migration instead.");
            }
        }
        return recorded;
    }

    private static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, tx);
        command.Parameters.AddWithValue("key", AdvisoryLockKey);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        // No timeout: a migration may legitimately take long (index builds on big tables).
        await using var command = new NpgsqlCommand(sql, connection, tx) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }

    [GeneratedRegex(@"^(\d{4})_([a-z0-9_]+)\.sql$")]
    private static partial Regex FileNamePattern();
}
