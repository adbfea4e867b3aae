using System.Diagnostics;
using Wms.Storage.Postgres;
using Wms.Testing;

namespace Wms.Durability.Tests;

/// <summary>The host's 'migrate' command, as an operator runs it before a deployment.</summary>
public sealed class MigrateCommandTests
{
    [Fact]
    public async Task MigrateRunTwiceAtTheSameTimeAppliesEachMigrationOnce()
    {
        var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();

        var concurrent = await Task.WhenAll(RunMigrateAsync(database), RunMigrateAsync(database));
        Assert.All(concurrent, r => Assert.True(r.ExitCode == 0, r.Output));
        // Each migration was applied exactly once, by one or the other: each takes the lock per migration and
        // re-checks under it, so the two may share the work but never repeat any of it.
        var applied = concurrent
            .SelectMany(r => r.Output.Split('\n'))
            .Where(line => line.StartsWith("Applied: ", StringComparison.Ordinal))
            .SelectMany(line => line["Applied: ".Length..].Split(", ", StringSplitOptions.TrimEntries))
            .ToList();
        Assert.Equal(applied.Distinct().Count(), applied.Count);
        Assert.Equal(SchemaMigrator.EmbeddedMigrations().Select(m => m.Id).Order(), applied.Order());

        var again = await RunMigrateAsync(database);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("The database is up to date.", again.Output);
    }

    private static async Task<(int ExitCode, string Output)> RunMigrateAsync(string connectionString)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Wms.Silo.dll"), "migrate"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["WMS_STORAGE"] = "postgres";
        start.Environment["WMS_POSTGRES"] = connectionString;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
