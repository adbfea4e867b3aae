using System.Globalization;
using System.Text.Json.Nodes;

namespace Wms.Query;

/// <summary>
/// Enumerates the values a dotted path reaches in a document, following MongoDB's classic
/// matcher (its <c>BSONElementIterator</c>):
/// <list type="bullet">
/// <item>objects are descended key by key; a path that stops at a missing key, or runs into a
/// scalar or null before its last segment, yields "missing";</item>
/// <item>an array at the end of the path yields each element (one level only) and then the
/// array itself;</item>
/// <item>an array in the middle of the path continues the rest of the path inside each object
/// element (non-object elements contribute nothing), and when the next segment is a decimal
/// index (<c>a.0</c>) it also continues from that element.</item>
/// </list>
/// A condition matches when any reachable value satisfies it, so the walk stops at the first hit.
/// </summary>
internal static class PathWalker
{
    public static bool Any(JsonObject document, IReadOnlyList<string> segments, Func<PathValue, bool> predicate) =>
        WalkObject(document, segments, 0, predicate);

    // Starts at segment 'index' inside an object.
    private static bool WalkObject(JsonObject start, IReadOnlyList<string> segments, int index, Func<PathValue, bool> predicate)
    {
        var current = start;
        while (true)
        {
            if (!current.TryGetPropertyValue(segments[index], out var value))
            {
                return predicate(PathValue.Missing);
            }

            index++;
            if (value is JsonArray array)
            {
                return WalkArray(array, segments, index, predicate);
            }

            if (index == segments.Count)
            {
                return predicate(PathValue.Of(value));
            }

            if (value is not JsonObject next)
            {
                // A scalar or null where an object was needed: the path does not exist.
                return predicate(PathValue.Missing);
            }

            current = next;
        }
    }

    // 'index' is the first segment still to apply to the array's contents.
    private static bool WalkArray(JsonArray array, IReadOnlyList<string> segments, int index, Func<PathValue, bool> predicate)
    {
        if (index == segments.Count)
        {
            foreach (var element in array)
            {
                if (predicate(PathValue.Of(element)))
                {
                    return true;
                }
            }

            return predicate(PathValue.Of(array));
        }

        var segment = segments[index];
        var isIndex = FieldPath.IsArrayIndex(segment);
        var lastSegment = index + 1 == segments.Count;
        for (var i = 0; i < array.Count; i++)
        {
            var element = array[i];

            // Only the canonical spelling addresses an element: "01" never does.
            var offsetMatch = isIndex && segment == i.ToString(CultureInfo.InvariantCulture);
            if (element is JsonObject obj)
            {
                // The segment is first tried as a key of the element...
                if (WalkObject(obj, segments, index, predicate))
                {
                    return true;
                }

                // ...and, when it names this element's position, also as an index.
                if (offsetMatch && (lastSegment ? predicate(PathValue.Of(element)) : WalkObject(obj, segments, index + 1, predicate)))
                {
                    return true;
                }
            }
            else if (offsetMatch)
            {
                if (lastSegment)
                {
                    // The addressed element itself, not its contents even if it is an array.
                    if (predicate(PathValue.Of(element)))
                    {
                        return true;
                    }
                }
                else if (element is JsonArray nested && WalkArray(nested, segments, index + 1, predicate))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
