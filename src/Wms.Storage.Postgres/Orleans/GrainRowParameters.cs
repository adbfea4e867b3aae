using Npgsql;
using NpgsqlTypes;

namespace Wms.Storage.Postgres;

/// <summary>
/// The parameters by which the provider's read and write statements find a grain's row, with the values and types the
/// provider binds, in the order they are bound by position (<see cref="PositionalStatement"/>).
/// </summary>
internal static class GrainRowParameters
{
    public static IReadOnlyList<string> Names { get; } =
        ["GrainIdHash", "GrainIdN0", "GrainIdN1", "GrainTypeHash", "GrainTypeString", "GrainIdExtensionString", "ServiceId"];

    public static void Add(
        NpgsqlParameterCollection parameters, string stateName, GrainStorageKey key, int grainIdHash, int grainTypeHash,
        string serviceId)
    {
        parameters.Add(new NpgsqlParameter<int> { TypedValue = grainIdHash });
        parameters.Add(new NpgsqlParameter<long> { TypedValue = key.N0 });
        parameters.Add(new NpgsqlParameter<long> { TypedValue = key.N1 });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = grainTypeHash });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
        // A typed NULL, as Orleans sends it.
        parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)key.Extension ?? DBNull.Value });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
    }
}
