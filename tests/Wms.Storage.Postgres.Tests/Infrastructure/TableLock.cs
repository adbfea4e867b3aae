using Npgsql;

namespace Wms.Storage.Postgres.Tests.Infrastructure;

/// <summary>
/// A table locked ACCESS EXCLUSIVE by a transaction of the test's own, until released: even plain reads of it wait.
/// Grouping tests hold one so that the one read group in flight waits, and every read asked meanwhile is certain to
/// queue behind it rather than depending on how the scheduler overlaps them.
/// </summary>
internal sealed class TableLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private bool _released;

    private TableLock(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    /// <param name="connectionString">The database to lock the table in, on a connection of the lock's own.</param>
    /// <param name="table">A schema-qualified table name of the test's own choosing (never user input).</param>
    public static async Task<TableLock> TakeAsync(string connectionString, string table)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand($"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE", connection, transaction);
        await command.ExecuteNonQueryAsync();
        return new TableLock(connection, transaction);
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
