using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wms.Query;

/// <summary>
/// An inclusion projection: a list of (possibly dotted) field names to keep.
/// </summary>
/// <remarks>
/// <see cref="Apply"/> builds a new object holding only the named fields, in the document's own
/// key order. A dotted name keeps the enclosing objects (<c>pilot_config.tag</c> gives
/// <c>{"pilot_config": {"tag": …}}</c>); several names under one parent merge; naming a field and
/// one of its sub-paths keeps the whole field. Fields the document lacks are left out, and an
/// enclosing object left empty by that is left out too. Through an array the rest of the path is
/// applied to each element as MongoDB does: object elements are projected (and kept, even when
/// empty), nested arrays are recursed into, other elements are dropped.
/// </remarks>
public sealed class Projection
{
    /// <summary>Most fields one projection may name; every projected document pays for each.</summary>
    public const int MaxFields = 1000;

    private readonly Branch _root;

    private Projection(IReadOnlyList<string> fields, Branch root)
    {
        Fields = fields;
        _root = root;
    }

    /// <summary>The field names exactly as given.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>
    /// Parses a projection. <c>null</c> means "no projection" and gives <c>null</c>; otherwise it
    /// must be a JSON array of one or more distinct, non-empty field-name strings.
    /// </summary>
    /// <exception cref="FilterException">The projection is malformed.</exception>
    public static Projection? Parse(JsonNode? projection)
    {
        if (projection is null)
        {
            return null;
        }

        if (projection is not JsonArray items)
        {
            throw new FilterException("projection must be an array of field names");
        }

        if (items.Count == 0)
        {
            throw new FilterException("projection must name at least one field");
        }

        if (items.Count > MaxFields)
        {
            throw new FilterException($"projection may name at most {MaxFields} fields");
        }

        var fields = new List<string>(items.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var root = new Branch();
        foreach (var item in items)
        {
            if (item is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
            {
                throw new FilterException("projection entries must be strings (field names)");
            }

            var field = value.GetValue<string>();
            if (field.Length == 0)
            {
                throw new FilterException("projection field names must not be empty");
            }

            if (!seen.Add(field))
            {
                throw new FilterException($"projection names field {Messages.Quote(field)} more than once");
            }

            FieldPath path;
            try
            {
                path = FieldPath.Parse(field);
            }
            catch (FilterException e)
            {
                throw new FilterException("invalid projection: " + e.Message, e);
            }

            root.Include(path.Segments, 0);
            fields.Add(field);
        }

        return new Projection(fields.AsReadOnly(), root);
    }

    /// <summary>Returns a new object with just the projected fields; the input is not modified.</summary>
    public JsonObject Apply(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return _root.ProjectObject(document);
    }

    // A node of the projection tree; a null child means "keep that whole field".
    private sealed class Branch
    {
        private readonly Dictionary<string, Branch?> _children = new(StringComparer.Ordinal);

        public void Include(IReadOnlyList<string> segments, int index)
        {
            var name = segments[index];
            if (index == segments.Count - 1)
            {
                // The whole field wins over any sub-paths named before or after it.
                _children[name] = null;
                return;
            }

            if (_children.TryGetValue(name, out var child))
            {
                if (child is null)
                {
                    return;
                }
            }
            else
            {
                child = new Branch();
                _children[name] = child;
            }

            child.Include(segments, index + 1);
        }

        public JsonObject ProjectObject(JsonObject source)
        {
            var result = new JsonObject();
            foreach (var (key, value) in source)
            {
                if (!_children.TryGetValue(key, out var child))
                {
                    continue;
                }

                if (child is null)
                {
                    result[key] = value?.DeepClone();
                    continue;
                }

                switch (value)
                {
                    case JsonObject obj:
                        var projected = child.ProjectObject(obj);
                        if (projected.Count > 0)
                        {
                            result[key] = projected;
                        }

                        break;
                    case JsonArray array:
                        result[key] = child.ProjectArray(array);
                        break;
                }
            }

            return result;
        }

        private JsonArray ProjectArray(JsonArray source)
        {
            var result = new JsonArray();
            foreach (var element in source)
            {
                switch (element)
                {
                    case JsonObject obj:
                        result.Add(ProjectObject(obj));
                        break;
                    case JsonArray nested:
                        result.Add(ProjectArray(nested));
                        break;
                }
            }

            return result;
        }
    }
}
