using System.Text.Json.Serialization;

namespace Wms.Domain.Model;

/// <summary>One attempted phase change of a taskforce, successful or not.</summary>
[GenerateSerializer, Immutable, Alias("Wms.PhaseChangeLogEntry")]
public sealed record PhaseChangeLogEntry
{
    [Id(0), JsonPropertyName("target_phase")] public required string TargetPhase { get; init; }
    [Id(1), JsonPropertyName("timestamp")] public required double Timestamp { get; init; }
    [Id(2), JsonPropertyName("was_successful")] public required bool WasSuccessful { get; init; }
    [Id(3), JsonPropertyName("source_event_time")] public double? SourceEventTime { get; init; }
    [Id(4), JsonPropertyName("source_entity")] public required string SourceEntity { get; init; }
    [Id(5), JsonPropertyName("description")] public required string Description { get; init; }
}
