using Wms.Domain.Commands;

namespace Wms.GrainInterfaces.Outcomes;

/// <summary>The creation a key's first request made, or a refusal because the key came with another request.</summary>
[GenerateSerializer, Immutable, Alias("Wms.IdempotentCreation")]
public sealed record IdempotentCreation(
    [property: Id(0)] bool Mismatch,
    [property: Id(1)] WorkflowCreation? Creation = null);
