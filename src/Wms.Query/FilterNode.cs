namespace Wms.Query;

/// <summary>
/// Root of the immutable filter syntax tree produced by <see cref="FilterParser"/>.
/// The closed set of node types is: <see cref="MatchAllNode"/>, <see cref="AndNode"/>,
/// <see cref="OrNode"/>, <see cref="NorNode"/>, <see cref="NotNode"/> and <see cref="ConditionNode"/>.
/// </summary>
public abstract record FilterNode
{
    // Only this assembly may add node kinds, so translators can rely on the set above.
    private protected FilterNode()
    {
    }
}
