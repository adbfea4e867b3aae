using System.Diagnostics;
using Wms.Testing;

namespace Wms.Durability.Tests;

/// <summary>The host's 'migrate' command, as an operator runs it before a deployment.</summary>
public sealed class MigrateCommandTests
{
    [Fact]
    public async Task MigrateAppliesTheSchemaOnceEvenWhenRunTwiceAtTheSameTime()
    {
        var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();

        var concurrent = await Task.WhenAll(RunMigrateAsync(database), RunMigrateAsync(database));
        Assert.All(concurrent, r => Assert.True(r.ExitCode == 0, r.Output));
        // Exactly one of the two applied the migrations; the other found them applied under the lock.
        Assert.Single(concurrent, r => r.Output.Contains("Applied:", StringComparison.Ordinal));
        Assert.Single(concurrent, r => r.Output.Contains("up to date", StringComparison.Ordinal));

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
