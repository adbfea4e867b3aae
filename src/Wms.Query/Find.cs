using System.Text.Json.Nodes;

namespace Wms.Query;

/// <summary>The in-memory "find": filter a sequence of documents and optionally project them.</summary>
public static class Find
{
    /// <summary>
    /// Lazily yields the matching documents in input order. Without a projection the original
    /// instances are returned (not copies); with one, each result is a new object.
    /// </summary>
    public static IEnumerable<JsonObject> Run(IEnumerable<JsonObject> docs, FilterNode filter, Projection? projection)
    {
        ArgumentNullException.ThrowIfNull(docs);
        ArgumentNullException.ThrowIfNull(filter);
        return RunIterator(docs, filter, projection);
    }

    // Split out so argument errors surface at the call, not at the first MoveNext.
    private static IEnumerable<JsonObject> RunIterator(IEnumerable<JsonObject> docs, FilterNode filter, Projection? projection)
    {
        foreach (var doc in docs)
        {
            if (FilterEvaluator.Matches(filter, doc))
            {
                yield return projection is null ? doc : projection.Apply(doc);
            }
        }
    }
}
