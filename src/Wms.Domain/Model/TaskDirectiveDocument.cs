using System.Text.Json.Serialization;

namespace Wms.Domain.Model;

/// <summary>One task of a workflow; immutable once created.</summary>
/// <remarks>Collections are kept as stored (<see cref="StoredCollections"/>) and handed out read-only.</remarks>
[GenerateSerializer, Immutable, Alias("Wms.TaskDirectiveDocument")]
public sealed record TaskDirectiveDocument
{
    [Id(2)] private readonly List<string> _clusterLocations = null!;
    [Id(6)] private readonly List<string> _inputQueues = null!;
    [Id(7)] private readonly List<string> _outputQueues = null!;

    [Id(0), JsonPropertyName("task_id")] public required string TaskId { get; init; }
    [Id(1), JsonPropertyName("workflow_id")] public required string WorkflowId { get; init; }

    [JsonPropertyName("cluster_locations")]
    public required IReadOnlyList<string> ClusterLocations
    {
        get => _clusterLocations;
        init => _clusterLocations = StoredCollections.ListOf(value);
    }

    [Id(3), JsonPropertyName("task_image")] public required string TaskImage { get; init; }
    [Id(4), JsonPropertyName("task_args")] public required string TaskArgs { get; init; }
    [Id(5), JsonPropertyName("timestamp")] public required double Timestamp { get; init; }

    [JsonPropertyName("input_queues")]
    public required IReadOnlyList<string> InputQueues
    {
        get => _inputQueues;
        init => _inputQueues = StoredCollections.ListOf(value);
    }

    [JsonPropertyName("output_queues")]
    public required IReadOnlyList<string> OutputQueues
    {
        get => _outputQueues;
        init => _outputQueues = StoredCollections.ListOf(value);
    }
}
