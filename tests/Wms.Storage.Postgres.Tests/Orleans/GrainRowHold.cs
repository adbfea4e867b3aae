using Npgsql;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace Wms.Storage.Postgres.Tests.OrleansProviders;

/// <summary>
/// A grain state row locked by a transaction of the test's own, and a write of that row through a grouped storage
/// waiting for the lock. With one group in flight, every write handed to that storage from then on waits for the
/// next group, so which writes share a group is certain rather than a matter of timing.
/// </summary>
internal sealed class GrainRowHold : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private bool _released;

    private GrainRowHold(NpgsqlConnection connection, NpgsqlTransaction transaction, Task written)
    {
        _connection = connection;
        _transaction = transaction;
        Written = written;
    }

    /// <summary>The storage's write of the held row.</summary>
    public Task Written { get; }

    public static async Task<GrainRowHold> TakeAsync(IGrainStorage storage, string connectionString)
    {
        var stateName = $"hold-{Guid.NewGuid():N}";
        var grainId = GrainId.Create("probe", $"WF-{Guid.NewGuid():N}");
        var state = new GrainState<ProbeState>(new ProbeState { Value = 1 });
        await storage.WriteStateAsync(stateName, grainId, state);

        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand(
            "SELECT 1 FROM orleans.grain_state WHERE grain_type = $1 FOR UPDATE", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
            Assert.Equal(1, await command.ExecuteScalarAsync());
        }
        state.State!.Value = 2;
        var hold = new GrainRowHold(connection, transaction, storage.WriteStateAsync(stateName, grainId, state));
        await WaitForLockWaiterAsync(connectionString);
        return hold;
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

    /// <summary>Waits until some statement of this database waits for a lock.</summary>
    private static async Task WaitForLockWaiterAsync(string connectionString)
    {
        var stop = DateTime.UtcNow + Deadline;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
            connection);
        while ((long)(await command.ExecuteScalarAsync())! == 0)
        {
            Assert.True(DateTime.UtcNow < stop, "the held row's write never came to wait for its lock");
            await Task.Delay(10);
        }
    }
}
