namespace Wms.Domain.Commands;

/// <summary>A TMS status report for one taskforce; a field left null is not replaced.</summary>
[GenerateSerializer, Immutable, Alias("Wms.StatusUpdate")]
public sealed record StatusUpdate(
    [property: Id(0)] Dictionary<string, Dictionary<string, long>>? CompoundStatuses,
    [property: Id(1)] Dictionary<string, long>? TopTaskErrors);
