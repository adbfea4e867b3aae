namespace Wms.Query;

/// <summary>All children must match. Produced by <c>$and</c> and by several keys in one filter object.</summary>
public sealed record AndNode : FilterNode
{
    public AndNode(IEnumerable<FilterNode> children)
    {
        ArgumentNullException.ThrowIfNull(children);
        Children = children.ToArray().AsReadOnly();
    }

    /// <summary>The operands, never empty when built by the parser.</summary>
    public IReadOnlyList<FilterNode> Children { get; }

    public bool Equals(AndNode? other) => other is not null && Children.SequenceEqual(other.Children);

    public override int GetHashCode() => NodeText.CombineHashes(Children);

    public override string ToString() => NodeText.Call("and", Children);
}
