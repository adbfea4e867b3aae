using Npgsql;
using Wms.Testing;

// Not "...Tests.Orleans": such a namespace would shadow Orleans for the whole test assembly.
namespace Wms.Storage.Postgres.Tests.OrleansProviders;

/// <summary>Fresh, fully migrated databases and small SQL helpers for the Orleans provider tests.</summary>
internal static class OrleansTestDatabase
{
    /// <summary>A new database with every embedded migration applied; returns the application connection string.</summary>
    public static async Task<string> CreateMigratedAsync()
    {
        var connectionString = await CreateEmptyAsync();
        await new SchemaMigrator().MigrateAsync(connectionString);
        return connectionString;
    }

    public static async Task<string> CreateEmptyAsync()
    {
        var server = await PostgresServer.SharedAsync();
        return await server.CreateDatabaseAsync("wms_orleans");
    }

    public static async Task<object?> ScalarAsync(string connectionString, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = Command(connection, sql, parameters);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    public static async Task<int> ExecuteAsync(string connectionString, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    public static async Task<List<object?[]>> RowsAsync(string connectionString, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add(row.Select(v => v is DBNull ? null : v).ToArray());
        }
        return rows;
    }

    /// <summary>Polls until the condition holds; fails the test with <paramref name="what"/> after the timeout.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds} s waiting for {what}.");
            }
            await Task.Delay(200);
        }
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }
}
