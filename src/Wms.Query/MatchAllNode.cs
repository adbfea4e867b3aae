namespace Wms.Query;

/// <summary>The empty filter (<c>null</c> or <c>{}</c>): matches every document.</summary>
public sealed record MatchAllNode : FilterNode
{
    private MatchAllNode()
    {
    }

    public static MatchAllNode Instance { get; } = new();

    public override string ToString() => "true";
}
