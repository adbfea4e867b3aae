using Wms.Domain.Model;

namespace Wms.Domain.Commands;

/// <summary>One validated task of a workflow request.</summary>
[GenerateSerializer, Immutable, Alias("Wms.TaskSpec")]
public sealed record TaskSpec
{
    [Id(0)] public required List<ClusterLocation> ClusterLocations { get; init; }
    [Id(1)] public required string TaskImage { get; init; }
    [Id(2)] public required string TaskArgs { get; init; }

    /// <summary>The user's task environment as compact JSON, or null when none or empty was given.</summary>
    [Id(3)] public string? TaskEnvJson { get; init; }

    [Id(4)] public string? InitImage { get; init; }
    [Id(5)] public string? InitArgs { get; init; }
    [Id(6)] public string? InitEnvJson { get; init; }
    [Id(7)] public required List<string> InputQueueAliases { get; init; }
    [Id(8)] public required List<string> OutputQueueAliases { get; init; }

    /// <summary>The user's pilot config with its tag already resolved; reserved names already refused.</summary>
    [Id(9)] public required PilotConfig PilotConfig { get; init; }

    [Id(10)] public required WorkerConfig WorkerConfig { get; init; }
    [Id(11)] public long? NWorkers { get; init; }
}
