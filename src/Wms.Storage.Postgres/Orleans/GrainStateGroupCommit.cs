using System.Data;
using Npgsql;

namespace Wms.Storage.Postgres;

/// <summary>
/// Commits a group of grain state writes in one round trip: one <see cref="NpgsqlBatch"/> holding the provider's
/// own <c>WriteToStorageKey</c> statement once per write, which PostgreSQL runs as one implicit transaction. A
/// write that loses its version check changes nothing and returns no row, exactly as alone, so it does not stop
/// the others; only an error does, and then nothing of the group is written.
/// </summary>
internal sealed class GrainStateGroupCommit(Func<Task<NpgsqlConnection>> openConnection, string serviceId)
{
    private long _roundTrips;
    private long _groupsCommitted;
    private long _writesCommitted;

    /// <summary>Batches sent, committed or not (a refused group's retries of single writes included).</summary>
    internal long RoundTrips => Interlocked.Read(ref _roundTrips);

    /// <summary>Batches whose transaction committed.</summary>
    internal long GroupsCommitted => Interlocked.Read(ref _groupsCommitted);

    /// <summary>Writes carried by committed batches.</summary>
    internal long WritesCommitted => Interlocked.Read(ref _writesCommitted);

    /// <param name="writeQuery">The <c>WriteToStorageKey</c> text the provider loaded at start.</param>
    /// <param name="group">Writes of distinct calls; each gets its result once the transaction has committed.</param>
    public async Task CommitAsync(string writeQuery, IReadOnlyList<GrainStateWrite> group)
    {
        var writes = group.Count == 1 ? group : [.. group.Order(GrainStateWrite.LockOrder)];
        await using var connection = await openConnection();
        // No explicit transaction: everything up to the batch's one Sync is one implicit transaction, all or
        // nothing, and no COMMIT round trip.
        await using var batch = new NpgsqlBatch(connection) { EnableErrorBarriers = false };
        foreach (var write in writes)
        {
            batch.BatchCommands.Add(write.ToCommand(writeQuery, serviceId));
        }
        var results = new (string?, Exception?)[writes.Count];
        Interlocked.Increment(ref _roundTrips);
        try
        {
            // Disposing the reader reads up to the end of the batch, where a failure at commit would surface.
            await using (var reader = await batch.ExecuteReaderAsync())
            {
                for (var i = 0; i < writes.Count; i++)
                {
                    if (i > 0 && !await reader.NextResultAsync())
                    {
                        throw new InvalidOperationException(
                            "WriteToStorageKey returned no result set; it must return the NewGrainStateVersion column.");
                    }
                    results[i] = await GrainStateWrite.ReadResultAsync(reader);
                }
            }
        }
        catch (PostgresException error)
            when (connection.FullState == ConnectionState.Open && RefusedGroupException.IsRefusal(error))
        {
            throw new RefusedGroupException(error);
        }
        // Only now: a group that failed part way wrote nothing, and a retry fills the results afresh.
        for (var i = 0; i < writes.Count; i++)
        {
            writes[i].Complete(results[i]);
        }
        Interlocked.Increment(ref _groupsCommitted);
        Interlocked.Add(ref _writesCommitted, writes.Count);
    }
}
