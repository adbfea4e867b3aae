using System.Text.Json.Nodes;

namespace Wms.Query;

/// <summary>Evaluates a parsed filter against one in-memory JSON document.</summary>
/// <remarks>
/// The rules below are MongoDB's, and any other engine (e.g. a SQL translation) must give the
/// same answers; the conformance table in the tests is the executable form of this list.
/// <list type="bullet">
/// <item>A condition collects every value its path reaches (see <see cref="PathWalker"/>) and
/// matches when any one of them satisfies it.</item>
/// <item><c>$eq null</c> is satisfied by JSON null and by a missing path; <c>$gte</c>/<c>$lte
/// null</c> likewise; <c>$gt</c>/<c>$lt null</c> never are.</item>
/// <item>Values of different type classes are never equal nor ordered (5 vs "5", 1 vs true).
/// Numbers compare by value, strings by code point, false &lt; true; range operators with an
/// object or array operand never match (a simplification of MongoDB's ordering).</item>
/// <item>Embedded documents are equal when they hold the same keys with equal values, in any
/// key order (documented deviation: MongoDB also compares key order); arrays compare in order.</item>
/// <item><c>$ne</c>, <c>$nin</c>, <c>$not</c>, <c>$nor</c> and <c>$exists: false</c> are the
/// plain boolean negation of their positive form over the whole document, so they match
/// documents where the field is missing.</item>
/// </list>
/// </remarks>
public static class FilterEvaluator
{
    public static bool Matches(FilterNode filter, JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(document);
        return Evaluate(filter, document);
    }

    private static bool Evaluate(FilterNode node, JsonObject document) => node switch
    {
        MatchAllNode => true,
        AndNode and => and.Children.All(child => Evaluate(child, document)),
        OrNode or => or.Children.Any(child => Evaluate(child, document)),
        NorNode nor => !nor.Children.Any(child => Evaluate(child, document)),
        NotNode not => !Evaluate(not.Operand, document),
        ConditionNode condition => EvaluateCondition(condition, document),
        _ => throw new InvalidOperationException($"unknown filter node {node.GetType().Name}"),
    };

    private static bool EvaluateCondition(ConditionNode condition, JsonObject document)
    {
        var segments = condition.Path.Segments;
        var operand = condition.Operand;
        return condition.Operator switch
        {
            FilterOperator.Eq => PathWalker.Any(document, segments, value => EqualsOperand(value, operand)),
            FilterOperator.Ne => !PathWalker.Any(document, segments, value => EqualsOperand(value, operand)),
            FilterOperator.In => PathWalker.Any(document, segments, value => InItems(value, condition.Items)),
            FilterOperator.Nin => !PathWalker.Any(document, segments, value => InItems(value, condition.Items)),
            FilterOperator.Exists => PathWalker.Any(document, segments, value => !value.IsMissing)
                == (operand?.GetValue<bool>() ?? true),
            _ => PathWalker.Any(document, segments, value => InRange(value, condition.Operator, operand)),
        };
    }

    // Equality with null also accepts a missing path; otherwise a missing path never matches.
    private static bool EqualsOperand(PathValue value, JsonNode? operand)
    {
        if (value.IsMissing)
        {
            return operand is null;
        }

        return JsonComparer.ValueEquals(value.Node, operand);
    }

    private static bool InItems(PathValue value, IReadOnlyList<JsonNode?> items)
    {
        foreach (var item in items)
        {
            if (EqualsOperand(value, item))
            {
                return true;
            }
        }

        return false;
    }

    private static bool InRange(PathValue value, FilterOperator op, JsonNode? operand)
    {
        // A missing path behaves like null here: only $gte/$lte null accept it.
        var order = value.IsMissing
            ? (operand is null ? 0 : null)
            : JsonComparer.CompareForRange(value.Node, operand);
        if (order is not { } c)
        {
            return false;
        }

        return op switch
        {
            FilterOperator.Gt => c > 0,
            FilterOperator.Gte => c >= 0,
            FilterOperator.Lt => c < 0,
            FilterOperator.Lte => c <= 0,
            _ => throw new InvalidOperationException($"{op} is not a range operator"),
        };
    }
}
