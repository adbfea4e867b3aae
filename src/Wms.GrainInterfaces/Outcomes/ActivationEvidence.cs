using Wms.Domain.Explain;

namespace Wms.GrainInterfaces.Outcomes;

/// <summary>
/// What a workflow's MQ activation attempts came to, for explanations: consecutive failed calls, when the last
/// attempt was made (epoch seconds; null before the first), its error (null unless it failed), and whether the MQS
/// answered "try again later". The workflow document itself says when the next attempt is due.
/// </summary>
[GenerateSerializer, Immutable, Alias("Wms.ActivationEvidence")]
public sealed record ActivationEvidence(
    [property: Id(0)] int Failures,
    [property: Id(1)] double? LastAttemptTs,
    [property: Id(2)] string? LastError,
    [property: Id(3)] bool TryAgainLater)
{
    /// <summary>The same facts as the explanation rules take them.</summary>
    public ActivationAttempts ToAttempts() => new(Failures, LastAttemptTs, LastError, TryAgainLater);
}
