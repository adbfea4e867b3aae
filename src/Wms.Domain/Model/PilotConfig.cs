using System.Text.Json.Serialization;

namespace Wms.Domain.Model;

/// <summary>
/// What the pilot is told. Exactly these three keys: the real TMS spreads this object into keyword arguments,
/// so any extra key crashes it.
/// </summary>
[GenerateSerializer, Immutable, Alias("Wms.PilotConfig")]
public sealed record PilotConfig
{
    [Id(0), JsonPropertyName("tag")] public required string Tag { get; init; }

    [Id(1), JsonPropertyName("environment")]
    public required Dictionary<string, ConfigValue> Environment { get; init; }

    [Id(2), JsonPropertyName("input_files")] public required List<string> InputFiles { get; init; }
}
