namespace Wms.GrainInterfaces.Outcomes;

/// <summary>What one MQ activation attempt of a workflow came to.</summary>
[GenerateSerializer]
public enum ActivationKind
{
    Activated,
    TryAgainLater,
    MqsFailed,
    NothingToDo,
}

[GenerateSerializer, Immutable, Alias("Wms.ActivationOutcome")]
public sealed record ActivationOutcome(
    [property: Id(0)] ActivationKind Kind,
    [property: Id(1)] double? RetryAtTs = null,
    [property: Id(2)] string? Error = null);
