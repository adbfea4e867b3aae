using System.Text.Json.Serialization;

namespace Wms.Domain.Model;

/// <summary>
/// What the pilot is told. Exactly these three keys: the real TMS spreads this object into keyword arguments,
/// so any extra key crashes it.
/// </summary>
/// <remarks>Collections are kept as stored (<see cref="StoredCollections"/>) and handed out read-only.</remarks>
[GenerateSerializer, Immutable, Alias("Wms.PilotConfig")]
public sealed record PilotConfig
{
    [Id(1)] private readonly Dictionary<string, ConfigValue> _environment = null!;
    [Id(2)] private readonly List<string> _inputFiles = null!;

    [Id(0), JsonPropertyName("tag")] public required string Tag { get; init; }

    [JsonPropertyName("environment")]
    public required IReadOnlyDictionary<string, ConfigValue> Environment
    {
        get => _environment;
        init => _environment = StoredCollections.DictionaryOf(value);
    }

    [JsonPropertyName("input_files")]
    public required IReadOnlyList<string> InputFiles
    {
        get => _inputFiles;
        init => _inputFiles = StoredCollections.ListOf(value);
    }
}
