using System.Text.Json;

namespace Wms.Cli.Output;

/// <summary>
/// Writes the service's objects into JSON this client composes, each copied as the service wrote it: a script
/// reading <c>--json</c> gets exactly the API's objects, whatever wraps them.
/// </summary>
public static class RawJson
{
    public static void WriteRawMember(this Utf8JsonWriter writer, string name, JsonElement value)
    {
        writer.WritePropertyName(name);
        writer.WriteRawValue(value.GetRawText(), skipInputValidation: true);
    }

    public static void WriteRawList(this Utf8JsonWriter writer, string name, IEnumerable<JsonElement> items)
    {
        writer.WritePropertyName(name);
        writer.WriteStartArray();
        foreach (var item in items)
        {
            writer.WriteRawValue(item.GetRawText(), skipInputValidation: true);
        }
        writer.WriteEndArray();
    }
}
