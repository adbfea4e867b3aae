using Wms.Domain.Model;

namespace Wms.Domain.Commands;

/// <summary>
/// What the TMS reports after it submitted a taskforce's HTCondor cluster; <c>Caller</c> is the authenticated
/// subject (null when authentication is off), recorded in the phase change log.
/// </summary>
/// <remarks>
/// Collections are kept as stored (<see cref="StoredCollections"/>) and handed out read-only. The constructor is
/// not a primary one because Orleans serializes a record's primary constructor parameters as they are declared,
/// read-only interface types included.
/// </remarks>
[GenerateSerializer, Immutable, Alias("Wms.CondorSubmission")]
public sealed record CondorSubmission
{
    [Id(2)] private readonly Dictionary<string, ConfigValue> _submitDict;

    public CondorSubmission(
        long clusterId, long? nWorkers, IReadOnlyDictionary<string, ConfigValue> submitDict, string jobEventLogFpath,
        string? caller = null)
    {
        ClusterId = clusterId;
        NWorkers = nWorkers;
        _submitDict = StoredCollections.DictionaryOf(submitDict);
        JobEventLogFpath = jobEventLogFpath;
        Caller = caller;
    }

    [Id(0)] public long ClusterId { get; init; }
    [Id(1)] public long? NWorkers { get; init; }

    public IReadOnlyDictionary<string, ConfigValue> SubmitDict
    {
        get => _submitDict;
        init => _submitDict = StoredCollections.DictionaryOf(value);
    }

    [Id(3)] public string JobEventLogFpath { get; init; }
    [Id(4)] public string? Caller { get; init; }
}
