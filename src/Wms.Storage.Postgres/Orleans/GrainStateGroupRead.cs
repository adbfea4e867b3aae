using Npgsql;

namespace Wms.Storage.Postgres;

/// <summary>
/// Reads a group of grain states in one round trip: one <see cref="NpgsqlBatch"/> holding the provider's own
/// <c>ReadFromStorageKey</c> statement once per read. Each read finds exactly what it would alone; what was found is
/// turned into a state by its own caller, so a payload that cannot be read fails that caller only.
/// </summary>
internal sealed class GrainStateGroupRead(Func<Task<NpgsqlConnection>> openConnection, string serviceId)
{
    private long _roundTrips;

    /// <summary>Batches sent.</summary>
    internal long RoundTrips => Interlocked.Read(ref _roundTrips);

    /// <param name="readQuery">The <c>ReadFromStorageKey</c> text the provider loaded at start.</param>
    /// <param name="group">Reads of distinct calls; each has its row once the whole batch has been read.</param>
    public async Task ReadAsync(string readQuery, IReadOnlyList<GrainStateRead> group)
    {
        await using var connection = await openConnection();
        await using var batch = new NpgsqlBatch(connection);
        foreach (var read in group)
        {
            batch.BatchCommands.Add(read.ToCommand(readQuery, serviceId));
        }
        Interlocked.Increment(ref _roundTrips);
        await using var reader = await batch.ExecuteReaderAsync();
        for (var i = 0; i < group.Count; i++)
        {
            if (i > 0 && !await reader.NextResultAsync())
            {
                throw new InvalidOperationException(
                    "ReadFromStorageKey returned no result set; it must return the PayloadBinary and Version columns.");
            }
            await group[i].ReadResultAsync(reader);
        }
    }
}
