using Npgsql;
using NpgsqlTypes;

namespace Wms.Storage.Postgres.Tests.Index;

/// <summary>Statements run straight against the tables, as an older build's rows are put there by the upgrade tests.</summary>
internal static class RawSql
{
    /// <summary>Runs <paramref name="sql"/> with positional parameters: strings as text, anything else as its own type.</summary>
    public static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, params object[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value is string text
                ? new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = text }
                : new NpgsqlParameter { Value = value });
        }
        await command.ExecuteNonQueryAsync();
    }
}
