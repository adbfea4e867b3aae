using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wms.Query;

/// <summary>
/// Turns a MongoDB-style filter object into a validated <see cref="FilterNode"/> tree.
/// Only a safe subset is accepted; anything else is a <see cref="FilterException"/>.
/// Parsing never looks at documents.
/// </summary>
public static class FilterParser
{
    /// <summary>Most nested <c>$and</c>/<c>$or</c>/<c>$nor</c>/<c>$not</c> levels a filter may use.</summary>
    public const int MaxNestingDepth = 32;

    /// <summary>Most syntax-tree nodes a single filter may produce.</summary>
    public const int MaxNodeCount = 1000;

    /// <summary>
    /// Most values all the <c>$in</c>/<c>$nin</c> lists of one filter may hold together: each is compared with every
    /// candidate document, so the total bounds a filter's cost, not just each list's.
    /// </summary>
    public const int MaxInOperands = 10_000;

    // Literal operands (embedded documents, arrays) deeper than this are refused outright.
    private const int MaxLiteralDepth = 64;

    private static readonly HashSet<string> LogicalOperators = new(StringComparer.Ordinal) { "$and", "$or", "$nor" };

    /// <summary>Parses a filter; <c>null</c> and <c>{}</c> give <see cref="MatchAllNode.Instance"/>.</summary>
    /// <exception cref="FilterException">The filter uses an unsupported operator or is malformed.</exception>
    public static FilterNode Parse(JsonObject? query)
    {
        if (query is null || query.Count == 0)
        {
            return MatchAllNode.Instance;
        }

        return new Parser().ParseFilterObject(query, depth: 0);
    }

    private sealed class Parser
    {
        private int _nodeCount;
        private int _inOperands;

        public FilterNode ParseFilterObject(JsonObject filter, int depth)
        {
            if (filter.Count == 0)
            {
                return Count(MatchAllNode.Instance);
            }

            var parts = new List<FilterNode>(filter.Count);
            foreach (var (key, value) in filter)
            {
                parts.Add(key.StartsWith('$') ? ParseLogical(key, value, depth) : ParseField(key, value, depth));
            }

            return parts.Count == 1 ? parts[0] : Count(new AndNode(parts));
        }

        private FilterNode ParseLogical(string op, JsonNode? value, int depth)
        {
            if (!LogicalOperators.Contains(op))
            {
                throw op switch
                {
                    "$not" => new FilterException(
                        "unsupported query operator: $not at the top level; use $nor, or $not inside a field condition such as {\"field\": {\"$not\": {\"$gt\": 5}}}"),
                    _ when IsFieldOperator(op) => new FilterException(
                        $"query operator {op} must be applied to a field, e.g. {{\"field\": {{\"{op}\": ...}}}}"),
                    _ => Unsupported(op),
                };
            }

            var childDepth = EnterNested(depth);
            if (value is not JsonArray items || items.Count == 0)
            {
                throw new FilterException($"{op} must be a non-empty array of filter objects");
            }

            var children = new List<FilterNode>(items.Count);
            foreach (var item in items)
            {
                if (item is not JsonObject child)
                {
                    throw new FilterException($"{op} must be a non-empty array of filter objects");
                }

                children.Add(ParseFilterObject(child, childDepth));
            }

            return Count<FilterNode>(op switch
            {
                "$and" => new AndNode(children),
                "$or" => new OrNode(children),
                _ => new NorNode(children),
            });
        }

        private FilterNode ParseField(string key, JsonNode? condition, int depth)
        {
            var path = FieldPath.Parse(key);
            if (condition is JsonObject obj && obj.Count > 0)
            {
                var operatorKeys = obj.Count(p => p.Key.StartsWith('$'));
                if (operatorKeys == obj.Count)
                {
                    return ParseOperators(path, obj, depth);
                }

                if (operatorKeys > 0)
                {
                    var firstOp = obj.First(p => p.Key.StartsWith('$')).Key;
                    var firstPlain = obj.First(p => !p.Key.StartsWith('$')).Key;
                    throw new FilterException(
                        $"the condition for field {Messages.Quote(path.Dotted)} mixes operators ({Messages.Echo(firstOp)}) with plain keys ({Messages.Echo(firstPlain)}); use either an operator object or a literal document");
                }
            }

            CheckLiteral(condition, path, 0);
            return Count(new ConditionNode(path, FilterOperator.Eq, condition));
        }

        // obj is a non-empty object whose keys all start with '$'.
        private FilterNode ParseOperators(FieldPath path, JsonObject obj, int depth)
        {
            var parts = new List<FilterNode>(obj.Count);
            foreach (var (op, operand) in obj)
            {
                parts.Add(op switch
                {
                    "$eq" => Condition(path, FilterOperator.Eq, operand),
                    "$ne" => Condition(path, FilterOperator.Ne, operand),
                    "$gt" => Condition(path, FilterOperator.Gt, operand),
                    "$gte" => Condition(path, FilterOperator.Gte, operand),
                    "$lt" => Condition(path, FilterOperator.Lt, operand),
                    "$lte" => Condition(path, FilterOperator.Lte, operand),
                    "$in" => InList(path, FilterOperator.In, op, operand),
                    "$nin" => InList(path, FilterOperator.Nin, op, operand),
                    "$exists" => Exists(path, operand),
                    "$not" => Not(path, operand, depth),
                    _ when LogicalOperators.Contains(op) => throw new FilterException(
                        $"query operator {op} cannot be used inside the condition for field {Messages.Quote(path.Dotted)}; use it at the top level of the filter"),
                    _ => throw Unsupported(op),
                });
            }

            return parts.Count == 1 ? parts[0] : Count(new AndNode(parts));
        }

        private ConditionNode Condition(FieldPath path, FilterOperator op, JsonNode? operand)
        {
            CheckLiteral(operand, path, 0);
            return Count(new ConditionNode(path, op, operand));
        }

        private ConditionNode InList(FieldPath path, FilterOperator op, string name, JsonNode? operand)
        {
            if (operand is not JsonArray items)
            {
                throw new FilterException($"{name} for field {Messages.Quote(path.Dotted)} needs an array of values");
            }

            _inOperands += items.Count;
            if (_inOperands > MaxInOperands)
            {
                throw new FilterException($"the filter is too large: its $in and $nin lists may hold at most {MaxInOperands} values together");
            }

            CheckLiteral(operand, path, 0);
            return Count(new ConditionNode(path, op, operand));
        }

        private ConditionNode Exists(FieldPath path, JsonNode? operand)
        {
            // Deliberately strict: MongoDB would also take numbers and other truthy values.
            var kind = operand?.GetValueKind();
            if (kind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw new FilterException($"$exists for field {Messages.Quote(path.Dotted)} must be true or false");
            }

            return Count(new ConditionNode(path, FilterOperator.Exists, JsonValue.Create(kind == JsonValueKind.True)));
        }

        private NotNode Not(FieldPath path, JsonNode? operand, int depth)
        {
            var innerDepth = EnterNested(depth);
            if (operand is not JsonObject obj || obj.Count == 0 || !obj.All(p => p.Key.StartsWith('$')))
            {
                throw new FilterException(
                    $"$not for field {Messages.Quote(path.Dotted)} needs a non-empty object of operators, e.g. {{\"$not\": {{\"$gt\": 5}}}}");
            }

            return Count(new NotNode(ParseOperators(path, obj, innerDepth)));
        }

        private static int EnterNested(int depth)
        {
            if (depth >= MaxNestingDepth)
            {
                throw new FilterException(
                    $"the filter is nested too deeply: at most {MaxNestingDepth} levels of $and/$or/$nor/$not are allowed");
            }

            return depth + 1;
        }

        private T Count<T>(T node)
            where T : FilterNode
        {
            if (++_nodeCount > MaxNodeCount)
            {
                throw new FilterException($"the filter is too large: at most {MaxNodeCount} conditions and logical operators are allowed");
            }

            return node;
        }
    }

    // A literal operand must not smuggle operators or characters PostgreSQL JSONB cannot hold.
    private static void CheckLiteral(JsonNode? value, FieldPath path, int level)
    {
        if (level > MaxLiteralDepth)
        {
            throw new FilterException($"the value for field {Messages.Quote(path.Dotted)} is nested too deeply");
        }

        switch (value)
        {
            case JsonObject obj:
                foreach (var (key, item) in obj)
                {
                    if (key.StartsWith('$'))
                    {
                        throw new FilterException(
                            $"unsupported query operator: {Messages.Echo(key)} (operators are not allowed inside a literal value for field {Messages.Quote(path.Dotted)}; use a dotted path to match embedded fields)");
                    }

                    if (key.Contains('\0', StringComparison.Ordinal))
                    {
                        throw new FilterException($"the value for field {Messages.Quote(path.Dotted)} has a key containing a NUL character");
                    }

                    CheckLiteral(item, path, level + 1);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    CheckLiteral(item, path, level + 1);
                }

                break;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String:
                if (JsonComparer.GetString(scalar).Contains('\0', StringComparison.Ordinal))
                {
                    throw new FilterException($"the value for field {Messages.Quote(path.Dotted)} contains a NUL character");
                }

                break;
        }
    }

    private static bool IsFieldOperator(string op) => op is "$eq" or "$ne" or "$gt" or "$gte" or "$lt" or "$lte" or "$in" or "$nin" or "$exists";

    private static FilterException Unsupported(string op) => new($"unsupported query operator: {Messages.Echo(op)}");
}
