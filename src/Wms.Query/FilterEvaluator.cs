using System.Text.Json.Nodes;

namespace Wms.Query;

/// <summary>Evaluates a parsed filter against one in-memory JSON document.</summary>
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
