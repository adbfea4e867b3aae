namespace Wms.Query;

/// <summary>
/// A validated dotted field path such as <c>worker_config.priority</c>, kept both as the
/// original text and split into segments so that evaluators and translators never re-split it.
/// </summary>
public sealed class FieldPath : IEquatable<FieldPath>
{
    private FieldPath(string dotted, string[] segments)
    {
        Dotted = dotted;
        Segments = segments;
    }

    /// <summary>The path as written in the filter, e.g. <c>a.0.b</c>.</summary>
    public string Dotted { get; }

    /// <summary>The non-empty path segments; a segment of ASCII digits may also index an array.</summary>
    public IReadOnlyList<string> Segments { get; }

    /// <summary>Validates and splits a field path; throws <see cref="FilterException"/> when it is malformed.</summary>
    public static FieldPath Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            throw new FilterException("field name must not be empty");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new FilterException($"field name {Messages.Quote(path)} contains a NUL character");
        }

        var segments = path.Split('.');
        foreach (var segment in segments)
        {
            if (segment.Length == 0)
            {
                throw new FilterException($"field path {Messages.Quote(path)} has an empty segment");
            }

            if (segment[0] == '$')
            {
                throw new FilterException(
                    $"field path {Messages.Quote(path)} has a segment starting with '$' ({Messages.Quote(segment)}), which is not allowed");
            }
        }

        return new FieldPath(path, segments);
    }

    /// <summary>True when a segment can address an array element (all ASCII digits).</summary>
    public static bool IsArrayIndex(string segment)
    {
        foreach (var c in segment)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return segment.Length > 0;
    }

    public bool Equals(FieldPath? other) => other is not null && string.Equals(Dotted, other.Dotted, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as FieldPath);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Dotted);

    public override string ToString() => Dotted;
}
