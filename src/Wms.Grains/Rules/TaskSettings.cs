using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wms.Grains.Rules;

/// <summary>A task's own environments as a task directive keeps them: names to text.</summary>
public static class TaskSettings
{
    /// <summary>
    /// The environment a request gave as JSON text; <c>/v0</c> accepts numbers and booleans too, which are kept as
    /// the text the pilot would read, so <c>/v1</c> can show every value as a string.
    /// </summary>
    public static Dictionary<string, string> Environment(string? json)
    {
        var environment = new Dictionary<string, string>();
        if (json is null)
        {
            return environment;
        }
        foreach (var (name, value) in JsonNode.Parse(json)!.AsObject())
        {
            environment[name] = value!.GetValueKind() == JsonValueKind.String
                ? value.GetValue<string>()
                : value.ToJsonString();
        }
        return environment;
    }
}
