using System.Text.Json;
using Npgsql;
using Wms.Testing;

namespace Wms.Durability.Tests;

/// <summary>
/// A clean start at the default log level says what an operator needs in a few lines, one entry per line, and no
/// secret; with WMS_LOG_FORMAT=json every line is one JSON object.
/// </summary>
public sealed class StartupLogTests
{
    private const int MostLines = 15;
    private const string ClientSecret = "mqs-client-secret-d41d8";
    private const string SigningKey = "c2lnbmluZy1rZXktdGhhdC1pcy1sb25nLWVub3VnaC1mb3ItaHMyNTY=";
    private const string DatabasePassword = "db-password-9f86d";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ACleanStartOnPostgresNamesEveryItemInAFewLinesAndNoSecret()
    {
        var database = await WithPasswordAsync(await (await PostgresServer.SharedAsync()).CreateDatabaseAsync());
        await using var silo = new SiloProcess(database, Production());

        var lines = await CleanStartAsync(silo);

        Assert.True(lines.Count <= MostLines, $"{lines.Count} lines:\n{silo.Output}");
        Assert.All(lines, l => Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} (info|warn): ", l));
        var all = string.Join('\n', lines);
        Assert.Contains($"WMS listening on http://127.0.0.1:{silo.RestPort} (/v0, /v1) with postgres storage", all);
        Assert.Contains("Using the MQS at http://mqs.example/ with client credentials from https://keycloak.example/", all);
        Assert.Contains("Authentication is on", all);
        Assert.Contains("Cluster locations: test-alpha, test-beta; pilot tags: 1.2.3", all);
        Assert.Contains("Operations: /healthz, /readyz, /metrics, /docs, /ui; logs as text", all);
        Assert.Contains("Cluster membership: silo S127.0.0.1:", all);
        Assert.Contains("1 active", all);
        Assert.DoesNotContain("SiloOptionsLogger", all);
        foreach (var secret in new[] { ClientSecret, SigningKey, DatabasePassword })
        {
            Assert.DoesNotContain(secret, silo.Output);
        }
    }

    [Fact]
    public async Task ACleanStartInMemorySaysSoAndThatAuthenticationIsOff()
    {
        var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        await using var silo = new SiloProcess(database, new Dictionary<string, string>
        {
            ["WMS_STORAGE"] = "memory",
            ["Logging__LogLevel__Default"] = "Information",
        });

        var lines = await CleanStartAsync(silo);

        Assert.True(lines.Count <= MostLines, $"{lines.Count} lines:\n{silo.Output}");
        var all = string.Join('\n', lines);
        Assert.Contains("with memory storage", all);
        Assert.Contains("using the EMBEDDED MQS", all);
        Assert.Contains("AUTHENTICATION IS OFF", all);
        Assert.Contains("Cluster membership: silo S127.0.0.1:", all);
    }

    [Fact]
    public async Task JsonLogsAreOneObjectPerLine()
    {
        var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        var settings = Production();
        settings["WMS_LOG_FORMAT"] = "json";
        await using var silo = new SiloProcess(database, settings);

        var lines = await CleanStartAsync(silo);

        Assert.True(lines.Count <= MostLines, $"{lines.Count} lines:\n{silo.Output}");
        var entries = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(entries, e =>
        {
            Assert.Equal(JsonValueKind.Object, e.ValueKind);
            Assert.Equal(JsonValueKind.String, e.GetProperty("Timestamp").ValueKind);
            Assert.Contains(e.GetProperty("LogLevel").GetString(), new[] { "Information", "Warning" });
            Assert.Equal(JsonValueKind.String, e.GetProperty("Category").ValueKind);
        });
        var listening = Assert.Single(entries, e => e.GetProperty("Message").GetString()!.StartsWith("WMS listening", StringComparison.Ordinal));
        Assert.Equal(silo.RestPort, listening.GetProperty("State").GetProperty("Port").GetInt32());
        Assert.Contains(entries, e => e.GetProperty("Category").GetString() == "Wms.Silo.ClusterMembershipLog");
    }

    /// <summary>PostgreSQL storage with authentication and MQS credentials configured, at the default log level.</summary>
    private static Dictionary<string, string> Production() => new()
    {
        ["WMS_AUTH_DISABLED"] = "false",
        ["AUTH_SIGNING_KEY"] = SigningKey,
        ["AUTH_ISSUER"] = "https://keycloak.example/auth/realms/IceCube",
        ["AUTH_AUDIENCE"] = "ewms",
        ["MQS_ADDRESS"] = "http://mqs.example/",
        ["MQS_TOKEN_URL"] = "https://keycloak.example/auth/realms/IceCube",
        ["MQS_CLIENT_ID"] = "wms",
        ["MQS_CLIENT_SECRET"] = ClientSecret,
        ["Logging__LogLevel__Default"] = "Information",
        // The production period: the tests' short one makes Orleans warn that it is unfit for production.
        ["WMS_LOOP_REMINDER_PERIOD"] = "60",
    };

    /// <summary>The database's owner gets a password, so that the connection string carries one the log must not show.</summary>
    private static async Task<string> WithPasswordAsync(string database)
    {
        var builder = new NpgsqlConnectionStringBuilder(database);
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"ALTER ROLE \"{builder.Username}\" PASSWORD '{DatabasePassword}'", connection);
            await command.ExecuteNonQueryAsync();
        }
        builder.Password = DatabasePassword;
        return builder.ConnectionString;
    }

    /// <summary>Starts the silo and returns what it printed once it serves and has said it joined the cluster.</summary>
    private static async Task<List<string>> CleanStartAsync(SiloProcess silo)
    {
        silo.Launch();
        // With authentication on the API answers 403 to a caller without a token: an answer is what counts.
        Assert.True(await Poll.UntilAsync(async () =>
        {
            try
            {
                using var answer = await silo.Http.GetAsync("v0/");
                return silo.Output.Contains("Cluster membership", StringComparison.Ordinal);
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, Deadline, TimeSpan.FromMilliseconds(100)), silo.Output);
        return silo.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
    }
}
