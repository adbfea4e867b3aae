namespace Wms.GrainInterfaces.Outcomes;

/// <summary>The answer to abort or finished: null count means there was no live workflow to deactivate.</summary>
[GenerateSerializer, Immutable, Alias("Wms.DeactivationOutcome")]
public sealed record DeactivationOutcome([property: Id(0)] int? NTaskforces);
