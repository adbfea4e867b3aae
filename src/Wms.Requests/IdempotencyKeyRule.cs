namespace Wms.Requests;

/// <summary>What an <c>Idempotency-Key</c> header may hold, and the answer to one that holds anything else.</summary>
public static class IdempotencyKeyRule
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 255;

    /// <summary>The answer to a malformed key, which names the rule.</summary>
    public static readonly string Refusal =
        $"the {Header} header must be one value of 1 to {MaxLength} visible ASCII characters";

    /// <summary>True for 1 to <see cref="MaxLength"/> visible ASCII characters, as any client can send in a header.</summary>
    public static bool IsValid(string? key) => key is { Length: > 0 and <= MaxLength } && !key.Any(c => c is < '!' or > '~');
}
