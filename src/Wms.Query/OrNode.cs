namespace Wms.Query;

/// <summary>At least one child must match. Produced by <c>$or</c>.</summary>
public sealed record OrNode : FilterNode
{
    public OrNode(IEnumerable<FilterNode> children)
    {
        ArgumentNullException.ThrowIfNull(children);
        Children = children.ToArray().AsReadOnly();
    }

    /// <summary>The operands, never empty when built by the parser.</summary>
    public IReadOnlyList<FilterNode> Children { get; }

    public bool Equals(OrNode? other) => other is not null && Children.SequenceEqual(other.Children);

    public override int GetHashCode() => NodeText.CombineHashes(Children);

    public override string ToString() => NodeText.Call("or", Children);
}
