namespace Wms.Testing;

/// <summary>An OpenAPI path template such as <c>/v0/taskforces/{taskforce_uuid}</c>, matched segment by segment.</summary>
internal sealed class PathTemplate
{
    private readonly string?[] _segments; // null marks a "{placeholder}" segment

    public PathTemplate(string template)
    {
        Template = template;
        _segments = template.Split('/')
            .Select(s => s.Length > 2 && s[0] == '{' && s[^1] == '}' ? null : s)
            .ToArray();
        LiteralCount = _segments.Count(s => s is not null);
    }

    public string Template { get; }

    /// <summary>More literal segments = more specific; used to prefer /a/b over /a/{x}.</summary>
    public int LiteralCount { get; }

    public bool Matches(string[] requestSegments)
    {
        if (requestSegments.Length != _segments.Length)
        {
            return false;
        }

        for (var i = 0; i < _segments.Length; i++)
        {
            var expected = _segments[i];
            var actual = requestSegments[i];
            if (expected is null ? actual.Length == 0 : !string.Equals(expected, actual, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Splits a concrete request path (absolute URL or path, query and fragment ignored) into decoded segments.</summary>
    public static string[] SplitRequestPath(string path)
    {
        if (Uri.TryCreate(path, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            path = absolute.AbsolutePath;
        }

        var cut = path.IndexOfAny(['?', '#']);
        if (cut >= 0)
        {
            path = path[..cut];
        }

        if (!path.StartsWith('/'))
        {
            path = "/" + path;
        }

        return path.Split('/').Select(Uri.UnescapeDataString).ToArray();
    }
}
