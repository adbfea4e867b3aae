namespace Wms.Domain.Model;

/// <summary>
/// How an immutable record keeps its collections. Grain state and grain calls are Orleans' binary serialization,
/// which writes a member's runtime type whenever it differs from the member's declared type; a member declared
/// <see cref="IReadOnlyList{T}"/> would so be written differently from the <see cref="List{T}"/> the stored rows
/// hold. A record therefore gives Orleans its collections in the concrete types the rows were written with
/// (<see cref="List{T}"/>, <see cref="Dictionary{TKey,TValue}"/>), in private fields, and hands them out read-only.
/// A value given in another type is copied into the concrete one; a value already of that type is kept as it is.
/// </summary>
/// <remarks>
/// A dictionary of dictionaries cannot be both at once: <see cref="IReadOnlyDictionary{TKey,TValue}"/> is invariant
/// in its value type. The record keeps it with read-only inner dictionaries and gives Orleans, through an internal
/// property, a dictionary of the same inner dictionaries (<see cref="Stored"/>), as the rows hold it.
/// </remarks>
internal static class StoredCollections
{
    public static List<T> ListOf<T>(IReadOnlyList<T> items) => items as List<T> ?? [.. items];

    public static Dictionary<TKey, TValue> DictionaryOf<TKey, TValue>(IReadOnlyDictionary<TKey, TValue> items)
        where TKey : notnull =>
        items as Dictionary<TKey, TValue> ?? new Dictionary<TKey, TValue>(items);

    /// <summary>A dictionary of dictionaries as a record keeps it: every inner one a <see cref="Dictionary{TKey,TValue}"/>.</summary>
    public static Dictionary<TKey, IReadOnlyDictionary<TInnerKey, TValue>> NestedOf<TKey, TInnerKey, TValue>(
        IReadOnlyDictionary<TKey, IReadOnlyDictionary<TInnerKey, TValue>> items)
        where TKey : notnull
        where TInnerKey : notnull
    {
        if (items is Dictionary<TKey, IReadOnlyDictionary<TInnerKey, TValue>> kept &&
            kept.Values.All(inner => inner is Dictionary<TInnerKey, TValue>))
        {
            return kept;
        }
        var copy = new Dictionary<TKey, IReadOnlyDictionary<TInnerKey, TValue>>(items.Count);
        foreach (var (key, inner) in items)
        {
            copy[key] = DictionaryOf(inner);
        }
        return copy;
    }

    /// <summary>A dictionary of dictionaries as Orleans read it, kept as a record keeps it.</summary>
    public static Dictionary<TKey, IReadOnlyDictionary<TInnerKey, TValue>> NestedOf<TKey, TInnerKey, TValue>(
        Dictionary<TKey, Dictionary<TInnerKey, TValue>> stored)
        where TKey : notnull
        where TInnerKey : notnull
    {
        var kept = new Dictionary<TKey, IReadOnlyDictionary<TInnerKey, TValue>>(stored.Count);
        foreach (var (key, inner) in stored)
        {
            kept[key] = inner;
        }
        return kept;
    }

    /// <summary>A kept dictionary of dictionaries, for Orleans, in the type the rows hold; the inner ones are shared.</summary>
    public static Dictionary<TKey, Dictionary<TInnerKey, TValue>> Stored<TKey, TInnerKey, TValue>(
        Dictionary<TKey, IReadOnlyDictionary<TInnerKey, TValue>> kept)
        where TKey : notnull
        where TInnerKey : notnull
    {
        var stored = new Dictionary<TKey, Dictionary<TInnerKey, TValue>>(kept.Count);
        foreach (var (key, inner) in kept)
        {
            stored[key] = (Dictionary<TInnerKey, TValue>)inner;
        }
        return stored;
    }
}
