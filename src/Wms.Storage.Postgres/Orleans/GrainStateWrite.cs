using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Wms.Storage.Postgres;

/// <summary>
/// One grain's <c>WriteStateAsync</c> on its way through a group: the parameters Orleans' ADO.NET storage binds to
/// <c>WriteToStorageKey</c>, and, once the group holding it has committed, what the query returned for it.
/// </summary>
internal sealed class GrainStateWrite(
    string stateName, GrainStorageKey key, int grainIdHash, int grainTypeHash, int? version, byte[] payload)
{
    /// <summary>The order in which a group takes its rows' locks: the same in every group, so groups that share
    /// rows (a grain written from two places at once) wait for each other instead of deadlocking.</summary>
    public static IComparer<GrainStateWrite> LockOrder { get; } = Comparer<GrainStateWrite>.Create((a, b) =>
    {
        var order = string.CompareOrdinal(a.StateName, b.StateName);
        order = order != 0 ? order : a.Key.N0.CompareTo(b.Key.N0);
        order = order != 0 ? order : a.Key.N1.CompareTo(b.Key.N1);
        return order != 0 ? order : string.CompareOrdinal(a.Key.Extension, b.Key.Extension);
    });

    public string StateName { get; } = stateName;

    public GrainStorageKey Key { get; } = key;

    /// <summary>
    /// The new version as Orleans reads it: null when the query returned no row, empty when it returned NULL.
    /// Set only once the group's transaction has committed.
    /// </summary>
    public string? StoredVersion { get; private set; }

    /// <summary>The query returned more than one row for this write (Orleans fails such a write too).</summary>
    public Exception? Failure { get; private set; }

    /// <summary>The names of the parameters the provider binds to its write, in the order of <see cref="ToCommand"/>.</summary>
    public static IReadOnlyList<string> ParameterNames { get; } = [.. GrainRowParameters.Names, "GrainStateVersion", "PayloadBinary"];

    /// <summary>
    /// The statement for this write, with exactly the values and types the provider binds, by position.
    /// </summary>
    /// <param name="positionalQuery">The provider's text with <see cref="ParameterNames"/> made positional.</param>
    /// <param name="serviceId">The Orleans service id, which is part of every row's identity.</param>
    public NpgsqlBatchCommand ToCommand(string positionalQuery, string serviceId)
    {
        var command = new NpgsqlBatchCommand(positionalQuery);
        GrainRowParameters.Add(command.Parameters, StateName, Key, grainIdHash, grainTypeHash, serviceId);
        // A typed NULL, as Orleans sends it: the query tells a first insert by "@GrainStateVersion IS NULL".
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)version ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = payload });
        return command;
    }

    /// <summary>Reads this write's result set: at most one row, whose NewGrainStateVersion is the new version.</summary>
    public static async Task<(string? Version, Exception? Failure)> ReadResultAsync(NpgsqlDataReader reader)
    {
        string? version = null;
        var rows = 0;
        while (await reader.ReadAsync())
        {
            rows++;
            var column = reader.GetOrdinal("NewGrainStateVersion");
            version = reader.IsDBNull(column)
                ? ""
                : Convert.ToInt32(reader.GetValue(column), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        }
        return rows > 1
            ? (null, new InvalidOperationException($"The grain state write returned {rows} rows; at most one was expected."))
            : (version, null);
    }

    /// <summary>Records what the committed query returned for this write.</summary>
    public void Complete((string? Version, Exception? Failure) result) => (StoredVersion, Failure) = result;
}
