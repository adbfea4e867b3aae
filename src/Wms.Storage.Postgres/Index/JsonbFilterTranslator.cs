using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;
using Wms.Query;

namespace Wms.Storage.Postgres.Index;

/// <summary>A boolean SQL expression and the positional parameters (<c>$1</c>, <c>$2</c>, ...) it refers to.</summary>
public sealed record SqlPredicate(string Text, IReadOnlyList<NpgsqlParameter> Parameters);

/// <summary>
/// Translates a parsed filter into a parameterised SQL predicate over a jsonb column, with the semantics of
/// <see cref="FilterEvaluator"/>. Every condition becomes a call of <c>wms_find_any</c> (migration 0100), which
/// walks the path as <c>PathWalker</c> does and applies one test; field paths and operands only ever travel as
/// parameters, so no text of the request reaches the SQL string.
/// </summary>
public static partial class JsonbFilterTranslator
{
    /// <summary>
    /// Translates <paramref name="filter"/>. <paramref name="documentColumn"/> names the jsonb column (our own
    /// identifier, never request text). <paramref name="stringColumns"/> optionally maps top-level fields that
    /// every stored document holds as a non-null string to a text column with the same value; equality on such a
    /// field then also tests the column, which the planner can answer from an index. The parameters are numbered
    /// from <paramref name="firstParameter"/>, so the predicate can join a statement that has parameters of its own.
    /// <paramref name="integerColumns"/> optionally maps top-level fields to a bigint column that holds the field's
    /// value where it is an integer and null elsewhere; equality with an integer then also tests the column.
    /// </summary>
    public static SqlPredicate Translate(
        FilterNode filter, string documentColumn = "doc", IReadOnlyDictionary<string, string>? stringColumns = null,
        int firstParameter = 1, IReadOnlyDictionary<string, string>? integerColumns = null)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(firstParameter, 1);
        if (!Identifier().IsMatch(documentColumn))
        {
            throw new ArgumentException("the document column must be a plain (optionally qualified) identifier");
        }
        var builder = new Builder(documentColumn, stringColumns ?? new Dictionary<string, string>(),
            integerColumns ?? new Dictionary<string, string>(), firstParameter);
        var text = new StringBuilder();
        builder.Append(text, filter);
        return new SqlPredicate(text.ToString(), builder.Parameters);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?$")]
    private static partial Regex Identifier();

    private sealed class Builder(
        string document, IReadOnlyDictionary<string, string> stringColumns,
        IReadOnlyDictionary<string, string> integerColumns, int firstParameter)
    {
        public List<NpgsqlParameter> Parameters { get; } = [];

        public void Append(StringBuilder sql, FilterNode node)
        {
            switch (node)
            {
                case MatchAllNode:
                    sql.Append("true");
                    break;
                case AndNode and:
                    Join(sql, and.Children, " AND ");
                    break;
                case OrNode or:
                    Join(sql, or.Children, " OR ");
                    break;
                case NorNode nor:
                    sql.Append("NOT ");
                    Join(sql, nor.Children, " OR ");
                    break;
                case NotNode not:
                    sql.Append("NOT (");
                    Append(sql, not.Operand);
                    sql.Append(')');
                    break;
                case ConditionNode condition:
                    AppendCondition(sql, condition);
                    break;
                default:
                    throw new InvalidOperationException($"unknown filter node {node.GetType().Name}");
            }
        }

        private void Join(StringBuilder sql, IReadOnlyList<FilterNode> children, string separator)
        {
            sql.Append('(');
            for (var i = 0; i < children.Count; i++)
            {
                if (i > 0)
                {
                    sql.Append(separator);
                }
                Append(sql, children[i]);
            }
            sql.Append(')');
        }

        // Each test function result is true or false, never NULL, so the negated operators are plain NOT.
        private void AppendCondition(StringBuilder sql, ConditionNode condition)
        {
            var operand = condition.Operand;
            switch (condition.Operator)
            {
                case FilterOperator.Eq:
                    AppendEquals(sql, condition);
                    break;
                case FilterOperator.Ne:
                    sql.Append("NOT ");
                    AppendEquals(sql, condition);
                    break;
                case FilterOperator.In:
                    AppendIn(sql, condition);
                    break;
                case FilterOperator.Nin:
                    sql.Append("NOT ");
                    AppendIn(sql, condition);
                    break;
                case FilterOperator.Exists:
                    if (operand?.GetValue<bool>() == false)
                    {
                        sql.Append("NOT ");
                    }
                    AppendTest(sql, condition.Path, "exists", null, null);
                    break;
                default:
                    AppendRange(sql, condition);
                    break;
            }
        }

        private void AppendEquals(StringBuilder sql, ConditionNode condition)
        {
            if (ColumnFor(condition.Path) is { } column && condition.Operand is JsonValue value
                && value.GetValueKind() == JsonValueKind.String)
            {
                // Implied by the test itself (the field is always this string), it lets an index find the rows.
                sql.Append('(').Append(column).Append(" = ").Append(Add(NpgsqlDbType.Text, StringOf(value)));
                sql.Append(" AND ");
                AppendTest(sql, condition.Path, "eq", condition.Operand, null);
                sql.Append(')');
                return;
            }
            if (IntegerColumnFor(condition.Path) is { } integerColumn && IntegerOf(condition.Operand) is { } integer)
            {
                // Equal to an integer, the field is that integer, and so is the column; a row whose column is null
                // fails the test itself too, so the conjunction is false there, never unknown, even under a NOT.
                sql.Append('(').Append(integerColumn).Append(" = ").Append(Add(NpgsqlDbType.Bigint, integer));
                sql.Append(" AND ");
                AppendTest(sql, condition.Path, "eq", condition.Operand, null);
                sql.Append(')');
                return;
            }
            AppendTest(sql, condition.Path, "eq", condition.Operand, null);
        }

        private void AppendIn(StringBuilder sql, ConditionNode condition)
        {
            if (condition.Items.Count == 0)
            {
                sql.Append("false");
                return;
            }
            if (ColumnFor(condition.Path) is { } column)
            {
                // The field is a string in every document, so only the string items can ever equal it.
                var strings = condition.Items.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String)
                    .Select(StringOf).ToArray();
                sql.Append('(').Append(column).Append(" = ANY (")
                    .Append(Add(NpgsqlDbType.Array | NpgsqlDbType.Text, strings)).Append(") AND ");
                AppendTest(sql, condition.Path, "in", null, condition.Items);
                sql.Append(')');
                return;
            }
            AppendTest(sql, condition.Path, "in", null, condition.Items);
        }

        private void AppendRange(StringBuilder sql, ConditionNode condition)
        {
            var op = condition.Operator switch
            {
                FilterOperator.Gt => "gt",
                FilterOperator.Gte => "gte",
                FilterOperator.Lt => "lt",
                FilterOperator.Lte => "lte",
                _ => throw new InvalidOperationException($"{condition.Operator} is not a range operator"),
            };
            switch (condition.Operand)
            {
                case null:
                    // Null is only "equal" to null and missing, so $gte/$lte null are $eq null, $gt/$lt never match.
                    if (op is "gte" or "lte")
                    {
                        AppendTest(sql, condition.Path, "eq", null, null);
                    }
                    else
                    {
                        sql.Append("false");
                    }
                    break;
                case JsonObject or JsonArray:
                    // Range operators deliberately never match objects or arrays.
                    sql.Append("false");
                    break;
                default:
                    AppendTest(sql, condition.Path, op, condition.Operand, null);
                    break;
            }
        }

        private void AppendTest(
            StringBuilder sql, FieldPath path, string op, JsonNode? operand, IReadOnlyList<JsonNode?>? items)
        {
            // op is one of our own literals; everything that came with the request is a parameter. Even a path
            // without arrays goes through the walk rather than an inline #>: the inline form needs several accesses
            // to the document, each decompressing it again, where the walk decompresses it once at its first step.
            sql.Append("public.wms_find_any(").Append(document).Append(", ")
                .Append(Add(NpgsqlDbType.Array | NpgsqlDbType.Text, path.Segments.ToArray()))
                .Append(", '").Append(op).Append("', ");
            sql.Append(op is "exists" or "in" ? "NULL::jsonb" : Add(NpgsqlDbType.Jsonb, JsonText(operand)));
            sql.Append(", ");
            sql.Append(items is null
                ? "NULL::jsonb[]"
                : Add(NpgsqlDbType.Array | NpgsqlDbType.Jsonb, items.Select(JsonText).ToArray()));
            sql.Append(')');
        }

        private string? ColumnFor(FieldPath path) =>
            path.Segments.Count == 1 && stringColumns.TryGetValue(path.Segments[0], out var column) ? column : null;

        private string? IntegerColumnFor(FieldPath path) =>
            path.Segments.Count == 1 && integerColumns.TryGetValue(path.Segments[0], out var column) ? column : null;

        private string Add(NpgsqlDbType type, object value)
        {
            Parameters.Add(new NpgsqlParameter { NpgsqlDbType = type, Value = value });
            return "$" + (firstParameter + Parameters.Count - 1).ToString(CultureInfo.InvariantCulture);
        }
    }

    private static string StringOf(JsonValue value) => value.GetValue<string>();

    /// <summary>
    /// A number operand with an integral value a bigint holds (<c>5</c>, <c>5.0</c>, <c>5e0</c>), else null: another
    /// number can equal no integer column value, and the test alone says so.
    /// </summary>
    private static long? IntegerOf(JsonNode? operand) =>
        operand is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            && decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && number == decimal.Truncate(number) && number is >= long.MinValue and <= long.MaxValue
                ? (long)number
                : null;

    /// <summary>The operand as JSON text for a jsonb parameter, numbers clamped as below at any depth.</summary>
    internal static string JsonText(JsonNode? node) => Clamped(node)?.ToJsonString() ?? "null";

    private static JsonNode? Clamped(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Clamped(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Clamped)]),
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => JsonNode.Parse(NumberText(value.ToJsonString())),
        _ => node?.DeepClone(),
    };

    // PostgreSQL's numeric cannot hold numbers beyond about 1e131072 or below 1e-16383, and would fail the query.
    // Stored documents hold finite doubles and longs, so any operand beyond double's range (or a non-zero one
    // below its smallest magnitude) orders exactly like 1e400 (or 1e-400) against every value they can contain.
    private static string NumberText(string text)
    {
        var value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        var negative = text.StartsWith('-');
        if (double.IsInfinity(value))
        {
            return negative ? "-1e400" : "1e400";
        }
        if (value == 0 && text.TakeWhile(c => c is not ('e' or 'E')).Any(c => c is >= '1' and <= '9'))
        {
            return negative ? "-1e-400" : "1e-400";
        }
        return text;
    }
}
