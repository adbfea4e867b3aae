using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wms.Query;

/// <summary>
/// One operator applied to one field path, e.g. <c>worker_config.priority $gte 10</c>.
/// </summary>
/// <remarks>
/// <see cref="Operand"/> is a private deep copy taken at parse time (C# <c>null</c> stands for
/// JSON <c>null</c>). Its shape depends on the operator: a <see cref="JsonArray"/> for
/// <see cref="FilterOperator.In"/> / <see cref="FilterOperator.Nin"/>, a boolean
/// <see cref="JsonValue"/> for <see cref="FilterOperator.Exists"/>, any JSON value otherwise.
/// Treat it as read-only.
/// </remarks>
public sealed record ConditionNode : FilterNode
{
    public ConditionNode(FieldPath path, FilterOperator @operator, JsonNode? operand)
    {
        Path = path ?? throw new ArgumentNullException(nameof(path));
        switch (@operator)
        {
            case FilterOperator.In or FilterOperator.Nin when operand is not JsonArray:
                throw new ArgumentException($"the {@operator} operand must be a JSON array", nameof(operand));
            case FilterOperator.Exists when operand?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False):
                throw new ArgumentException("the Exists operand must be a JSON boolean", nameof(operand));
        }

        Operator = @operator;
        Operand = operand?.DeepClone();
        Materialize(Operand);
        Items = Operand is JsonArray array ? array.ToArray().AsReadOnly() : [];
    }

    public FieldPath Path { get; }

    public FilterOperator Operator { get; }

    public JsonNode? Operand { get; }

    /// <summary>The items of an <c>$in</c> / <c>$nin</c> operand; empty for other operators.</summary>
    public IReadOnlyList<JsonNode?> Items { get; }

    public bool Equals(ConditionNode? other) =>
        other is not null
        && Path.Equals(other.Path)
        && Operator == other.Operator
        && JsonNode.DeepEquals(Operand, other.Operand);

    public override int GetHashCode() => HashCode.Combine(Path, Operator);

    // A clone of parsed JSON may still be backed lazily by a JsonElement; build it out now so
    // that one parsed filter can be evaluated from several threads at once.
    private static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    Materialize(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Materialize(child);
                }

                break;
        }
    }

    public override string ToString() =>
        Path.Dotted + " $" + Operator.ToString().ToLowerInvariant() + " " + NodeText.Json(Operand);
}
