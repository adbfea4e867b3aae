using System.Text.Json.Serialization;

namespace Wms.Domain.Model;

/// <summary>One task of a workflow; immutable once created.</summary>
[GenerateSerializer, Immutable, Alias("Wms.TaskDirectiveDocument")]
public sealed record TaskDirectiveDocument
{
    [Id(0), JsonPropertyName("task_id")] public required string TaskId { get; init; }
    [Id(1), JsonPropertyName("workflow_id")] public required string WorkflowId { get; init; }
    [Id(2), JsonPropertyName("cluster_locations")] public required List<string> ClusterLocations { get; init; }
    [Id(3), JsonPropertyName("task_image")] public required string TaskImage { get; init; }
    [Id(4), JsonPropertyName("task_args")] public required string TaskArgs { get; init; }
    [Id(5), JsonPropertyName("timestamp")] public required double Timestamp { get; init; }
    [Id(6), JsonPropertyName("input_queues")] public required List<string> InputQueues { get; init; }
    [Id(7), JsonPropertyName("output_queues")] public required List<string> OutputQueues { get; init; }
}
