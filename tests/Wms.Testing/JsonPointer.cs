using System.Text.Json.Nodes;

namespace Wms.Testing;

/// <summary>Resolves local JSON pointers ("#/a/b/0") inside one document.</summary>
internal static class JsonPointer
{
    public static bool TryResolve(JsonNode root, string pointer, out JsonNode? target)
    {
        target = null;
        if (!pointer.StartsWith('#'))
        {
            return false; // only document-local references are supported
        }

        var fragment = Uri.UnescapeDataString(pointer[1..]);
        JsonNode? current = root;
        if (fragment.Length == 0)
        {
            target = current;
            return true;
        }

        if (!fragment.StartsWith('/'))
        {
            return false;
        }

        foreach (var rawToken in fragment[1..].Split('/'))
        {
            // RFC 6901 order matters: "~1" first, then "~0".
            var token = rawToken.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            switch (current)
            {
                case JsonObject obj when obj.TryGetPropertyValue(token, out var child):
                    current = child;
                    break;
                case JsonArray arr when int.TryParse(token, out var index) && index >= 0 && index < arr.Count:
                    current = arr[index];
                    break;
                default:
                    return false;
            }
        }

        target = current;
        return true;
    }
}
