using Npgsql;

namespace Wms.Storage.Postgres.Tests.Infrastructure;

/// <summary>
/// A trigger that makes the database refuse every insert or update of a table's rows whose column matches a LIKE
/// pattern, until disposed: how the tests make one row of a group fail for the database's own reasons.
/// </summary>
internal sealed class RefusingTrigger : IAsyncDisposable
{
    /// <summary>The error the refused rows get.</summary>
    public const string Message = "refused by the test";

    private readonly string _connectionString;
    private readonly string _table;
    private readonly string _function;

    private RefusingTrigger(string connectionString, string table, string function)
    {
        _connectionString = connectionString;
        _table = table;
        _function = function;
    }

    /// <param name="connectionString">The database the table is in.</param>
    /// <param name="table">Schema-qualified; the trigger's function goes in the same schema.</param>
    /// <param name="column">The column whose value is matched.</param>
    /// <param name="pattern">A LIKE pattern; a row whose column matches it is refused.</param>
    public static async Task<RefusingTrigger> InstallAsync(string connectionString, string table, string column, string pattern)
    {
        var function = $"{table[..table.IndexOf('.')]}.test_refuse";
        await ExecuteAsync(connectionString, $"""
            CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.{column} LIKE '{pattern}' THEN RAISE EXCEPTION '{Message}'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER test_refuse BEFORE INSERT OR UPDATE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {function}();
            """);
        return new RefusingTrigger(connectionString, table, function);
    }

    public async ValueTask DisposeAsync() =>
        await ExecuteAsync(_connectionString, $"DROP TRIGGER test_refuse ON {_table}; DROP FUNCTION {_function}()");

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
