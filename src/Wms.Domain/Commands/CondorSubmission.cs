using Wms.Domain.Model;

namespace Wms.Domain.Commands;

/// <summary>
/// What the TMS reports after it submitted a taskforce's HTCondor cluster; <c>Caller</c> is the authenticated
/// subject (null when authentication is off), recorded in the phase change log.
/// </summary>
[GenerateSerializer, Immutable, Alias("Wms.CondorSubmission")]
public sealed record CondorSubmission(
    [property: Id(0)] long ClusterId,
    [property: Id(1)] long? NWorkers,
    [property: Id(2)] Dictionary<string, ConfigValue> SubmitDict,
    [property: Id(3)] string JobEventLogFpath,
    [property: Id(4)] string? Caller = null);
