using System.Text.Json.Serialization;

namespace Wms.Domain.Model;

/// <summary>HTCondor worker settings; exactly these six keys, for the same reason as <see cref="PilotConfig"/>.</summary>
[GenerateSerializer, Immutable, Alias("Wms.WorkerConfig")]
public sealed record WorkerConfig
{
    [Id(0), JsonPropertyName("do_transfer_worker_stdouterr")] public required bool DoTransferWorkerStdouterr { get; init; }
    [Id(1), JsonPropertyName("max_worker_runtime")] public required long MaxWorkerRuntime { get; init; }
    [Id(2), JsonPropertyName("n_cores")] public required long NCores { get; init; }
    [Id(3), JsonPropertyName("priority")] public required long Priority { get; init; }
    [Id(4), JsonPropertyName("worker_disk")] public required string WorkerDisk { get; init; }
    [Id(5), JsonPropertyName("worker_memory")] public required string WorkerMemory { get; init; }
}
