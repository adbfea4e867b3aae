namespace Wms.GrainInterfaces.Watch;

/// <summary>A watched workflow and how long its lease has left.</summary>
[GenerateSerializer, Immutable, Alias("Wms.WatchedLease")]
public sealed record WatchedLease([property: Id(0)] string WorkflowId, [property: Id(1)] TimeSpan Remaining);
