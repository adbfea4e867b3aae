namespace Wms.Api.Http1;

/// <summary>A verdict on a request head: the outcome, and for a refusal its status and the contract's error text.</summary>
public readonly record struct HeadVerdict(HeadOutcome Outcome, int Status, string Error)
{
    public static HeadVerdict NeedMore { get; } = new(HeadOutcome.NeedMore, 0, "");

    public static HeadVerdict Pass { get; } = new(HeadOutcome.Pass, 0, "");

    public static HeadVerdict Refuse(int status, string error) => new(HeadOutcome.Refuse, status, error);
}
