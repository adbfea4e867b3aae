namespace Wms.Query;

/// <summary>
/// Field-level <c>$not</c>: the negation of the operator expression it wraps. The operand is
/// always about a single field path (a <see cref="ConditionNode"/>, or an <see cref="AndNode"/>
/// of conditions and nested <see cref="NotNode"/>s on that same path), so unlike the operand's
/// own conditions it also matches documents where the field is missing.
/// </summary>
public sealed record NotNode(FilterNode Operand) : FilterNode
{
    public FilterNode Operand { get; } = Operand ?? throw new ArgumentNullException(nameof(Operand));

    public override string ToString() => "not(" + Operand + ")";
}
