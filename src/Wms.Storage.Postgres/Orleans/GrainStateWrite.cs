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

    /// <summary>The statement for this write, with exactly the parameters and types the provider binds.</summary>
    public NpgsqlBatchCommand ToCommand(string writeQuery, string serviceId) => new(writeQuery)
    {
        Parameters =
        {
            new NpgsqlParameter<int>("GrainIdHash", grainIdHash),
            new NpgsqlParameter<long>("GrainIdN0", Key.N0),
            new NpgsqlParameter<long>("GrainIdN1", Key.N1),
            new NpgsqlParameter<int>("GrainTypeHash", grainTypeHash),
            new NpgsqlParameter<string>("GrainTypeString", StateName),
            // Typed NULLs, as Orleans sends them: the query tells a first insert by "@GrainStateVersion IS NULL".
            new NpgsqlParameter("GrainIdExtensionString", NpgsqlDbType.Text) { Value = (object?)Key.Extension ?? DBNull.Value },
            new NpgsqlParameter<string>("ServiceId", serviceId),
            new NpgsqlParameter("GrainStateVersion", NpgsqlDbType.Integer) { Value = (object?)version ?? DBNull.Value },
            new NpgsqlParameter<byte[]>("PayloadBinary", payload),
        },
    };

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
