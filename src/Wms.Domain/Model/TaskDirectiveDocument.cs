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
    [Id(8)] private readonly Dictionary<string, string>? _taskEnv;
    [Id(9)] private readonly string? _initImage;
    [Id(10)] private readonly Dictionary<string, string>? _initEnv;
    [Id(11)] private readonly string? _initArgs;

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

    // The task's own settings as the user gave them (shown on /v1 only); a directive stored before they were kept
    // shows upstream's defaults.

    [JsonPropertyName("task_env")]
    public IReadOnlyDictionary<string, string> TaskEnv
    {
        get => _taskEnv ?? Empty;
        init => _taskEnv = StoredCollections.DictionaryOf(value);
    }

    [JsonPropertyName("init_image")]
    public string InitImage
    {
        get => _initImage ?? "";
        init => _initImage = value;
    }

    [JsonPropertyName("init_args")]
    public string InitArgs
    {
        get => _initArgs ?? "";
        init => _initArgs = value;
    }

    [JsonPropertyName("init_env")]
    public IReadOnlyDictionary<string, string> InitEnv
    {
        get => _initEnv ?? Empty;
        init => _initEnv = StoredCollections.DictionaryOf(value);
    }

    private static readonly Dictionary<string, string> Empty = [];
}
