using Npgsql;
using Wms.Testing;

namespace Wms.Durability.Tests.Faults;

/// <summary>Statements the tests run as the PostgreSQL server's administrator (making outages).</summary>
public static class Admin
{
    public static async Task SqlAsync(PostgresServer server, string sql)
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
