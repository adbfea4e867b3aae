namespace Wms.Testing;

/// <summary>The kinds of answer a <see cref="FakeMqs"/> activation policy can choose.</summary>
public enum ActivationOutcomeKind
{
    Grant,
    TryAgainLater,
    Error,
    Hang,
}

/// <summary>How <see cref="FakeMqs"/> answers one activation call; build with the static factories.</summary>
public sealed record ActivationOutcome
{
    private ActivationOutcome(ActivationOutcomeKind kind, int statusCode, TimeSpan delay, ActivationOutcome? then)
    {
        Kind = kind;
        StatusCode = statusCode;
        Delay = delay;
        Then = then;
    }

    public ActivationOutcomeKind Kind { get; }

    /// <summary>HTTP status for TryAgainLater and Error.</summary>
    public int StatusCode { get; }

    /// <summary>How long a Hang holds the response back.</summary>
    public TimeSpan Delay { get; }

    /// <summary>What a Hang answers once its delay is over (if the client is still there).</summary>
    public ActivationOutcome? Then { get; }

    /// <summary>Activate the workflow's queues and answer 200 with the group and profiles.</summary>
    public static ActivationOutcome Grant { get; } = new(ActivationOutcomeKind.Grant, 200, TimeSpan.Zero, null);

    /// <summary>Answer <c>{"try_again_later": true}</c>; the MQS of that era used 200 or 202.</summary>
    public static ActivationOutcome TryAgainLater(int statusCode = 200)
    {
        if (statusCode is < 200 or > 299)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "try-again-later is a 2xx answer");
        }

        return new(ActivationOutcomeKind.TryAgainLater, statusCode, TimeSpan.Zero, null);
    }

    /// <summary>Answer an error status with a <c>{"code", "error"}</c> body; nothing is activated.</summary>
    public static ActivationOutcome Error(int statusCode) =>
        new(ActivationOutcomeKind.Error, statusCode, TimeSpan.Zero, null);

    /// <summary>
    /// Hold the response for <paramref name="delay"/> (make it longer than the client's timeout to simulate a hung
    /// MQS), then answer as <paramref name="then"/>; by default a 503 that activates nothing.
    /// </summary>
    public static ActivationOutcome Hang(TimeSpan delay, ActivationOutcome? then = null)
    {
        if (then?.Kind is ActivationOutcomeKind.Hang)
        {
            throw new ArgumentException("a hang cannot be followed by another hang", nameof(then));
        }

        return new(ActivationOutcomeKind.Hang, 0, delay, then ?? Error(503));
    }
}
