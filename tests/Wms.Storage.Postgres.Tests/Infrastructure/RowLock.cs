using Npgsql;

namespace Wms.Storage.Postgres.Tests.Infrastructure;

/// <summary>
/// A row locked FOR UPDATE (or a whole table locked ACCESS EXCLUSIVE, which even plain reads wait for) by a
/// transaction of the test's own, until released. Grouping tests hold one so that a group's write or read waits on
/// it: with one group in flight, which calls share the next group is then certain rather than a matter of timing.
/// </summary>
internal sealed class RowLock : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private bool _released;

    private RowLock(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    /// <param name="connectionString">The database the row is in.</param>
    /// <param name="selectOne">A <c>SELECT 1 ... WHERE ... = $1</c> that finds exactly the row; FOR UPDATE is added.</param>
    /// <param name="key">The value of <c>$1</c>.</param>
    public static async Task<RowLock> TakeAsync(string connectionString, string selectOne, string key)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand($"{selectOne} FOR UPDATE", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        Assert.Equal(1, await command.ExecuteScalarAsync());
        return new RowLock(connection, transaction);
    }

    /// <param name="connectionString">The database to lock the table in, on a connection of the lock's own.</param>
    /// <param name="table">A schema-qualified table name of the test's own choosing (never user input).</param>
    public static async Task<RowLock> TakeTableAsync(string connectionString, string table)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand($"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE", connection, transaction);
        await command.ExecuteNonQueryAsync();
        return new RowLock(connection, transaction);
    }

    /// <summary>Waits until some statement of this database waits for a lock.</summary>
    public static async Task WaitForWaiterAsync(string connectionString)
    {
        var stop = DateTime.UtcNow + Deadline;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
            connection);
        while ((long)(await command.ExecuteScalarAsync())! == 0)
        {
            Assert.True(DateTime.UtcNow < stop, "no statement came to wait for the held row");
            await Task.Delay(10);
        }
    }

    public async Task ReleaseAsync()
    {
        if (!_released)
        {
            _released = true;
            await _transaction.CommitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ReleaseAsync();
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
