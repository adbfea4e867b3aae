namespace Wms.Domain.Explain;

/// <summary>
/// The MQ activation attempts of a workflow whose queues are not active yet: failed calls in a row, when the last
/// attempt was made (null before the first), its error (null unless it failed), and whether the MQS answered
/// "try again later".
/// </summary>
public sealed record ActivationAttempts(int Failures, double? LastAttemptTs, string? LastError, bool TryAgainLater)
{
    public static readonly ActivationAttempts None = new(0, null, null, false);
}
