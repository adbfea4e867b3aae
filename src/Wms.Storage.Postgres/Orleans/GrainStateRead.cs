using Npgsql;

namespace Wms.Storage.Postgres;

/// <summary>
/// One grain's <c>ReadStateAsync</c> on its way through a group: the parameters Orleans' ADO.NET storage binds to
/// <c>ReadFromStorageKey</c>, and, once the group holding it has been read, the row the query returned for it.
/// </summary>
internal sealed class GrainStateRead(string stateName, GrainStorageKey key, int grainIdHash, int grainTypeHash)
{
    /// <summary>The row's payload: null when there is no row, or a cleared one.</summary>
    public byte[]? Payload { get; private set; }

    public int? Version { get; private set; }

    /// <summary>The query returned more than one row (Orleans fails such a read too).</summary>
    public Exception? Failure { get; private set; }

    /// <summary>The names of the parameters the provider binds to its read, in the order of <see cref="ToCommand"/>.</summary>
    public static IReadOnlyList<string> ParameterNames => GrainRowParameters.Names;

    /// <summary>The statement for this read, with exactly the values and types the provider binds, by position.</summary>
    /// <param name="positionalQuery">The provider's text with <see cref="ParameterNames"/> made positional.</param>
    /// <param name="serviceId">The Orleans service id, which is part of every row's identity.</param>
    public NpgsqlBatchCommand ToCommand(string positionalQuery, string serviceId)
    {
        var command = new NpgsqlBatchCommand(positionalQuery);
        GrainRowParameters.Add(command.Parameters, stateName, key, grainIdHash, grainTypeHash, serviceId);
        return command;
    }

    /// <summary>Reads this read's result set: at most one row, with the columns PayloadBinary and Version.</summary>
    public async Task ReadResultAsync(NpgsqlDataReader reader)
    {
        var rows = 0;
        while (await reader.ReadAsync())
        {
            rows++;
            var payload = reader.GetOrdinal("PayloadBinary");
            var version = reader.GetOrdinal("Version");
            Payload = reader.IsDBNull(payload) ? null : reader.GetFieldValue<byte[]>(payload);
            Version = reader.IsDBNull(version) ? null : reader.GetInt32(version);
        }
        Failure = rows > 1
            ? new InvalidOperationException($"The grain state read returned {rows} rows; at most one was expected.")
            : null;
    }
}
