namespace Wms.GrainInterfaces.Outcomes;

/// <summary>The outcome of a key's first add-workers request, or a refusal because the key came with another.</summary>
[GenerateSerializer, Immutable, Alias("Wms.IdempotentAddition")]
public sealed record IdempotentAddition(
    [property: Id(0)] bool Mismatch,
    [property: Id(1)] AddWorkersOutcome? Outcome = null);
