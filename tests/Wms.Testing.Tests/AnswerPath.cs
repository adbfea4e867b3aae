using System.Globalization;
using System.Text.Json.Nodes;

namespace Wms.Testing.Tests;

/// <summary>Dotted paths into a pending-starter answer, as <see cref="TmsCrashException.Where"/> names them.</summary>
internal static class AnswerPath
{
    public static void Remove(JsonObject answer, string key)
    {
        var (parent, name) = Locate(answer, key);
        Assert.True(parent.Remove(name), key);
    }

    /// <summary>For <c>a.b[1].c</c>: the object holding <c>c</c>, and <c>"c"</c>.</summary>
    public static (JsonObject Parent, string Name) Locate(JsonObject root, string key)
    {
        var parts = key.Split('.');
        JsonNode node = root;
        foreach (var part in parts[..^1])
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            node = bracket < 0
                ? node[part]!
                : node[part[..bracket]]![int.Parse(part[(bracket + 1)..^1], CultureInfo.InvariantCulture)]!;
        }

        return (node.AsObject(), parts[^1]);
    }
}
