using System.Text.Json;

namespace Wms.Storage.Postgres.History;

/// <summary>How a history row keeps its statuses: JSON objects, members in the order they were reported.</summary>
internal static class StatusHistoryJson
{
    public static string Write<T>(IReadOnlyDictionary<string, T> value) => JsonSerializer.Serialize(value);

    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> ReadCompoundStatuses(string json) =>
        (JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, long>>>(json) ?? [])
            .ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, long>)kv.Value, StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, long> ReadCounts(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, long>>(json) ?? [];
}
