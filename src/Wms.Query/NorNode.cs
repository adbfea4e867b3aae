namespace Wms.Query;

/// <summary>No child may match. Produced by <c>$nor</c>.</summary>
public sealed record NorNode : FilterNode
{
    public NorNode(IEnumerable<FilterNode> children)
    {
        ArgumentNullException.ThrowIfNull(children);
        Children = children.ToArray().AsReadOnly();
    }

    /// <summary>The operands, never empty when built by the parser.</summary>
    public IReadOnlyList<FilterNode> Children { get; }

    public bool Equals(NorNode? other) => other is not null && Children.SequenceEqual(other.Children);

    public override int GetHashCode() => NodeText.CombineHashes(Children);

    public override string ToString() => NodeText.Call("nor", Children);
}
