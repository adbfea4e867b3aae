using System.Text.Json.Nodes;

namespace Wms.Testing;

/// <summary>The kinds of answer a <see cref="FakeMqs"/> activation policy can choose.</summary>
public enum ActivationOutcomeKind
{
    Grant,
    TryAgainLater,
    Error,
    Hang,

    /// <summary>A body given verbatim; nothing is activated.</summary>
    Raw,

    /// <summary>The queues are activated, but the answer is a rewritten one.</summary>
    GrantAnswering,

    /// <summary>The connection is closed before any answer.</summary>
    Disconnect,

    /// <summary>A 200 whose body stops halfway, the connection closed.</summary>
    CutShort,
}

/// <summary>How <see cref="FakeMqs"/> answers one activation call; build with the static factories.</summary>
public sealed record ActivationOutcome
{
    private ActivationOutcome(ActivationOutcomeKind kind, int statusCode)
    {
        Kind = kind;
        StatusCode = statusCode;
    }

    public ActivationOutcomeKind Kind { get; }

    /// <summary>HTTP status for TryAgainLater, Error and Raw.</summary>
    public int StatusCode { get; }

    /// <summary>How long a Hang holds the response back.</summary>
    public TimeSpan Delay { get; private init; }

    /// <summary>What a Hang answers once its delay is over (if the client is still there).</summary>
    public ActivationOutcome? Then { get; private init; }

    /// <summary>What a Raw answers, as it is.</summary>
    public string? Body { get; private init; }

    /// <summary>The <c>Content-Type</c> of a Raw answer.</summary>
    public string ContentType { get; private init; } = "application/json";

    /// <summary>What a GrantAnswering makes of the proper answer (it gets a copy).</summary>
    public Func<JsonObject, JsonNode>? Rewrite { get; private init; }

    /// <summary>Activate the workflow's queues and answer 200 with the group and profiles.</summary>
    public static ActivationOutcome Grant { get; } = new(ActivationOutcomeKind.Grant, 200);

    /// <summary>Close the connection without answering; nothing is activated.</summary>
    public static ActivationOutcome Disconnect { get; } = new(ActivationOutcomeKind.Disconnect, 0);

    /// <summary>Start a 200 answer and close the connection halfway through its body; nothing is activated.</summary>
    public static ActivationOutcome CutShort { get; } = new(ActivationOutcomeKind.CutShort, 200);

    /// <summary>Answer <c>{"try_again_later": true}</c>; the MQS of that era used 200 or 202.</summary>
    public static ActivationOutcome TryAgainLater(int statusCode = 200)
    {
        if (statusCode is < 200 or > 299)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "try-again-later is a 2xx answer");
        }

        return new(ActivationOutcomeKind.TryAgainLater, statusCode);
    }

    /// <summary>Answer an error status with a <c>{"code", "error"}</c> body; nothing is activated.</summary>
    public static ActivationOutcome Error(int statusCode) => new(ActivationOutcomeKind.Error, statusCode);

    /// <summary>
    /// Answer <paramref name="body"/> exactly as given (not JSON, say, or JSON of the wrong shape), with this status
    /// and content type; nothing is activated.
    /// </summary>
    public static ActivationOutcome Raw(string body, int statusCode = 200, string contentType = "application/json")
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(contentType);
        return new(ActivationOutcomeKind.Raw, statusCode) { Body = body, ContentType = contentType };
    }

    /// <summary>
    /// Activate the queues as <see cref="Grant"/> does, but answer what <paramref name="rewrite"/> makes of the proper
    /// answer: an MQS that did the work and then described it wrongly.
    /// </summary>
    public static ActivationOutcome GrantAnswering(Func<JsonObject, JsonNode> rewrite)
    {
        ArgumentNullException.ThrowIfNull(rewrite);
        return new(ActivationOutcomeKind.GrantAnswering, 200) { Rewrite = rewrite };
    }

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

        return new(ActivationOutcomeKind.Hang, 0) { Delay = delay, Then = then ?? Error(503) };
    }
}
