using Npgsql;
using Wms.Testing;

namespace Wms.Durability.Tests;

/// <summary>
/// A silo that starts before its database waits for it with clear log lines, comes up when it appears, and gives
/// up after WMS_STARTUP_TIMEOUT with one clear line and no stack trace.
/// </summary>
public sealed class StartupWaitTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ASiloWaitsForItsDatabaseAndComesUpWhenItAppears()
    {
        var server = await PostgresServer.SharedAsync();
        var database = await server.CreateDatabaseAsync();
        var builder = new NpgsqlConnectionStringBuilder(database);
        await AdminAsync(server, $"""ALTER DATABASE "{builder.Database}" WITH ALLOW_CONNECTIONS false""");
        await using var silo = new SiloProcess(database);
        try
        {
            silo.Launch();
            // It says where it looks and why it waits, and keeps trying.
            Assert.True(await Poll.UntilAsync(() => Waiting(silo.Output) >= 2, Deadline), silo.Output);
            var line = silo.Output.Split('\n').First(l => l.Contains("does not answer", StringComparison.Ordinal));
            Assert.Contains($"{builder.Host}:{builder.Port}, database '{builder.Database}'", silo.Output);
            Assert.Contains("trying again in", silo.Output);
            Assert.DoesNotContain("Password", line, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await AdminAsync(server, $"""ALTER DATABASE "{builder.Database}" WITH ALLOW_CONNECTIONS true""");
        }

        await silo.WaitUntilServingAsync();
        using var answer = await silo.Http.GetAsync("v0/");
        Assert.True(answer.IsSuccessStatusCode);
        Assert.Contains("answers now", silo.Output);
    }

    [Fact]
    public async Task ASiloWhoseDatabaseNeverAnswersExitsWithOneClearLine()
    {
        var port = UnusedPort();
        await using var silo = new SiloProcess($"Host=127.0.0.1;Port={port};Username=wms;Password=secret-pw;Database=wms",
            new Dictionary<string, string> { ["WMS_STARTUP_TIMEOUT"] = "3" });

        silo.Launch();
        var exit = await silo.WaitForExitAsync(Deadline);

        Assert.True(exit is { } code && code != 0, $"exit {exit}:\n{silo.Output}");
        var errors = silo.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(errors);
        Assert.StartsWith("wms: cannot start: PostgreSQL at 127.0.0.1:" + port + ", database 'wms' did not answer within 3 s", line);
        Assert.DoesNotContain("   at ", silo.Output);
        Assert.DoesNotContain("secret-pw", silo.Output);
        Assert.True(Waiting(silo.Output) >= 1, silo.Output);
    }

    private static int Waiting(string output) =>
        output.Split('\n').Count(l => l.Contains("does not answer", StringComparison.Ordinal));

    private static int UnusedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task AdminAsync(PostgresServer server, string sql)
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
