using System.Diagnostics;
using System.Reflection;
using Npgsql;

namespace Wms.Testing;

/// <summary>
/// A real PostgreSQL for tests, and a fresh database in it per fixture. CI starts one server and names it in
/// WMS_TEST_POSTGRES; without that, a throwaway server is started here with scripts/postgres.sh and stopped after.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PostgresServer? _shared;
    private readonly string? _ownedDirectory;

    private PostgresServer(string adminConnectionString, string? ownedDirectory)
    {
        AdminConnectionString = adminConnectionString;
        _ownedDirectory = ownedDirectory;
    }

    /// <summary>Connects to the server's maintenance database, for creating databases.</summary>
    public string AdminConnectionString { get; }

    public static async Task<PostgresServer> SharedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_shared is null)
            {
                _shared = await StartAsync();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => _shared.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            return _shared;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>
    /// A throwaway server of the caller's own, started with scripts/postgres.sh even when WMS_TEST_POSTGRES names a
    /// shared one, so that a test may stop it (<see cref="DisposeAsync"/>) under a running service.
    /// </summary>
    public static Task<PostgresServer> StartPrivateAsync() => StartThrowawayAsync();

    /// <summary>A new, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "wms_test")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownedDirectory is not null)
        {
            await RunScriptAsync("stop", _ownedDirectory);
        }
    }

    private static async Task<PostgresServer> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("WMS_TEST_POSTGRES") is { Length: > 0 } given)
        {
            return new PostgresServer(given, null);
        }
        return await StartThrowawayAsync();
    }

    private static async Task<PostgresServer> StartThrowawayAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"wms-pg-{Guid.NewGuid():N}");
        var connectionString = (await RunScriptAsync("start", directory)).Trim().Split('\n').Last();
        return new PostgresServer(connectionString, directory);
    }

    private static async Task<string> RunScriptAsync(string command, string directory)
    {
        var root = typeof(PostgresServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "scripts", "postgres.sh"), command, directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? stdout
            : throw new InvalidOperationException($"postgres.sh {command} failed: {stderr}");
    }
}
