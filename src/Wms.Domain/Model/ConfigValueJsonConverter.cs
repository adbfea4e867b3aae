using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wms.Domain.Model;

/// <summary>Writes a <see cref="ConfigValue"/> as the bare JSON value it holds.</summary>
public sealed class ConfigValueJsonConverter : JsonConverter<ConfigValue>
{
    public override ConfigValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return ConfigValue.Of(reader.GetString()!);
            case JsonTokenType.Number when reader.TryGetInt64(out var integer):
                return ConfigValue.Of(integer);
            case JsonTokenType.StartArray:
                var items = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        throw new JsonException("a list value may hold only strings");
                    }
                    items.Add(reader.GetString()!);
                }
                return ConfigValue.Of(items);
            default:
                throw new JsonException("expected a string, an integer or a list of strings");
        }
    }

    public override void Write(Utf8JsonWriter writer, ConfigValue value, JsonSerializerOptions options)
    {
        if (value.Text is not null)
        {
            writer.WriteStringValue(value.Text);
        }
        else if (value.Integer is { } integer)
        {
            writer.WriteNumberValue(integer);
        }
        else
        {
            writer.WriteStartArray();
            foreach (var item in value.List ?? [])
            {
                writer.WriteStringValue(item);
            }
            writer.WriteEndArray();
        }
    }
}
