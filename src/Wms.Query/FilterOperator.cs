namespace Wms.Query;

/// <summary>The field-level comparison operators the filter language supports.</summary>
public enum FilterOperator
{
    /// <summary><c>$eq</c>, or a plain value: equality, array-contains, null also matches a missing field.</summary>
    Eq,

    /// <summary><c>$ne</c>: exactly <c>NOT Eq</c> on the same operand.</summary>
    Ne,

    /// <summary><c>$gt</c>: some reachable value is greater, within the same type class.</summary>
    Gt,

    /// <summary><c>$gte</c>: some reachable value is greater or equal, within the same type class.</summary>
    Gte,

    /// <summary><c>$lt</c>: some reachable value is less, within the same type class.</summary>
    Lt,

    /// <summary><c>$lte</c>: some reachable value is less or equal, within the same type class.</summary>
    Lte,

    /// <summary><c>$in</c>: some reachable value equals one of the array's items (Eq semantics).</summary>
    In,

    /// <summary><c>$nin</c>: exactly <c>NOT In</c> on the same operand.</summary>
    Nin,

    /// <summary><c>$exists</c>: the operand is a JSON boolean.</summary>
    Exists,
}
