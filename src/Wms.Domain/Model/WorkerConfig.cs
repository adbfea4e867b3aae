using System.Text.Json.Serialization;

namespace Wms.Domain.Model;

/// <summary>
/// HTCondor worker settings. <c>/v0</c> shows exactly the first six keys, for the same reason as
/// <see cref="PilotConfig"/>; <c>/v1</c> adds <c>condor_requirements</c> and may show sizes as integers.
/// </summary>
[GenerateSerializer, Immutable, Alias("Wms.WorkerConfig")]
public sealed record WorkerConfig
{
    [Id(4)] private readonly string _workerDisk = null!;
    [Id(5)] private readonly string _workerMemory = null!;
    [Id(6)] private readonly string? _condorRequirements;
    [Id(7)] private readonly bool _workerDiskIsInteger;
    [Id(8)] private readonly bool _workerMemoryIsInteger;

    [Id(0), JsonPropertyName("do_transfer_worker_stdouterr")] public required bool DoTransferWorkerStdouterr { get; init; }
    [Id(1), JsonPropertyName("max_worker_runtime")] public required long MaxWorkerRuntime { get; init; }
    [Id(2), JsonPropertyName("n_cores")] public required long NCores { get; init; }
    [Id(3), JsonPropertyName("priority")] public required long Priority { get; init; }

    /// <summary>The disk size as the user wrote it; an integer given on <c>/v1</c> is kept as its digits.</summary>
    [JsonIgnore]
    public string WorkerDisk
    {
        get => _workerDisk;
        init => _workerDisk = value;
    }

    [JsonIgnore]
    public string WorkerMemory
    {
        get => _workerMemory;
        init => _workerMemory = value;
    }

    /// <summary>Whether <see cref="WorkerDisk"/> was given as a JSON integer (<c>/v1</c> only).</summary>
    [JsonIgnore]
    public bool WorkerDiskIsInteger
    {
        get => _workerDiskIsInteger;
        init => _workerDiskIsInteger = value;
    }

    [JsonIgnore]
    public bool WorkerMemoryIsInteger
    {
        get => _workerMemoryIsInteger;
        init => _workerMemoryIsInteger = value;
    }

    /// <summary><see cref="WorkerDisk"/> as stored in the index: an integer when given as one.</summary>
    [JsonPropertyName("worker_disk")]
    public ConfigValue WorkerDiskValue
    {
        get => SizeValue(_workerDisk, _workerDiskIsInteger);
        init => (_workerDisk, _workerDiskIsInteger) = FromSizeValue(value);
    }

    [JsonPropertyName("worker_memory")]
    public ConfigValue WorkerMemoryValue
    {
        get => SizeValue(_workerMemory, _workerMemoryIsInteger);
        init => (_workerMemory, _workerMemoryIsInteger) = FromSizeValue(value);
    }

    /// <summary>HTCondor requirements for the workers (<c>/v1</c>); empty when none were given.</summary>
    [JsonPropertyName("condor_requirements")]
    public string CondorRequirements
    {
        get => _condorRequirements ?? "";
        init => _condorRequirements = value;
    }

    private static ConfigValue SizeValue(string text, bool isInteger) =>
        isInteger && long.TryParse(text, out var n) ? ConfigValue.Of(n) : ConfigValue.Of(text);

    private static (string Text, bool IsInteger) FromSizeValue(ConfigValue value) =>
        value.Integer is { } n ? (n.ToString(System.Globalization.CultureInfo.InvariantCulture), true)
        : (value.Text ?? throw new ArgumentException("a worker size is a string or an integer"), false);
}
