using Wms.Domain.Model;

namespace Wms.Domain.Commands;

/// <summary>One validated task of a workflow request.</summary>
/// <remarks>Collections are kept as stored (<see cref="StoredCollections"/>) and handed out read-only.</remarks>
[GenerateSerializer, Immutable, Alias("Wms.TaskSpec")]
public sealed record TaskSpec
{
    [Id(0)] private readonly List<ClusterLocation> _clusterLocations = null!;
    [Id(7)] private readonly List<string> _inputQueueAliases = null!;
    [Id(8)] private readonly List<string> _outputQueueAliases = null!;

    public required IReadOnlyList<ClusterLocation> ClusterLocations
    {
        get => _clusterLocations;
        init => _clusterLocations = StoredCollections.ListOf(value);
    }

    [Id(1)] public required string TaskImage { get; init; }
    [Id(2)] public required string TaskArgs { get; init; }

    /// <summary>The user's task environment as compact JSON, or null when none or empty was given.</summary>
    [Id(3)] public string? TaskEnvJson { get; init; }

    [Id(4)] public string? InitImage { get; init; }
    [Id(5)] public string? InitArgs { get; init; }
    [Id(6)] public string? InitEnvJson { get; init; }

    public required IReadOnlyList<string> InputQueueAliases
    {
        get => _inputQueueAliases;
        init => _inputQueueAliases = StoredCollections.ListOf(value);
    }

    public required IReadOnlyList<string> OutputQueueAliases
    {
        get => _outputQueueAliases;
        init => _outputQueueAliases = StoredCollections.ListOf(value);
    }

    /// <summary>The user's pilot config with its tag already resolved; reserved names already refused.</summary>
    [Id(9)] public required PilotConfig PilotConfig { get; init; }

    [Id(10)] public required WorkerConfig WorkerConfig { get; init; }
    [Id(11)] public long? NWorkers { get; init; }
}
