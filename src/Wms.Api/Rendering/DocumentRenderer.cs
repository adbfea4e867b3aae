using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wms.Domain.Model;

namespace Wms.Api.Rendering;

/// <summary>
/// Shows a stored document (the JSON the index keeps, holding what both generations show) as one generation shows
/// it, in one pass over its bytes: members without rules are copied byte for byte.
/// </summary>
public static class DocumentRenderer
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = WireJson.Options.Encoder };

    /// <summary>
    /// The document as <paramref name="rule"/> shows it; the same array when there is nothing to change. A projected
    /// document is not <paramref name="whole"/>, and shows no defaults for members it lacks.
    /// </summary>
    public static byte[] Render(byte[] stored, RenderRule? rule, bool whole = true)
    {
        if (rule is null)
        {
            return stored;
        }
        var buffer = new ArrayBufferWriter<byte>(stored.Length + 64);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Render(stored, rule, writer, whole);
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static void Render(ReadOnlySpan<byte> stored, RenderRule? rule, Utf8JsonWriter writer, bool whole = true)
    {
        var reader = new Utf8JsonReader(stored);
        reader.Read();
        Copy(stored, ref reader, rule, writer, whole);
    }

    /// <summary>A parsed document (a find's), as <see cref="Render(byte[], RenderRule?, bool)"/>.</summary>
    public static void Render(JsonObject document, RenderRule? rule, Utf8JsonWriter writer, bool whole)
    {
        if (rule is null)
        {
            document.WriteTo(writer);
            return;
        }
        var buffer = new ArrayBufferWriter<byte>();
        using (var scratch = new Utf8JsonWriter(buffer, WriterOptions))
        {
            document.WriteTo(scratch);
        }
        Render(buffer.WrittenSpan, rule, writer, whole);
    }

    private static void Copy(
        ReadOnlySpan<byte> json, ref Utf8JsonReader reader, RenderRule? rule, Utf8JsonWriter writer, bool whole)
    {
        if (rule is null || reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            CopyRaw(json, ref reader, writer);
            return;
        }
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            // An array's rule applies to each of its elements.
            writer.WriteStartArray();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                Copy(json, ref reader, rule, writer, whole);
            }
            writer.WriteEndArray();
            return;
        }
        writer.WriteStartObject();
        var seen = whole && rule.Defaults.Count > 0 ? new bool[rule.Defaults.Count] : null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var member = Find(ref reader, rule);
            if (seen is not null)
            {
                MarkSeen(ref reader, rule, seen);
            }
            if (member?.Action == RenderAction.Drop)
            {
                reader.Read();
                reader.Skip();
                continue;
            }
            if (member?.Action == RenderAction.Rename)
            {
                writer.WritePropertyName(member.NewName!);
            }
            else if (reader.ValueIsEscaped)
            {
                writer.WritePropertyName(reader.GetString()!);
            }
            else
            {
                writer.WritePropertyName(reader.ValueSpan);
            }
            reader.Read();
            switch (member?.Action)
            {
                case RenderAction.Null:
                    writer.WriteNullValue();
                    reader.Skip();
                    break;
                case RenderAction.Text when reader.TokenType == JsonTokenType.Number:
                    writer.WriteStringValue(reader.ValueSpan);
                    break;
                case RenderAction.Keep:
                    Copy(json, ref reader, member, writer, whole);
                    break;
                default:
                    CopyRaw(json, ref reader, writer);
                    break;
            }
        }
        if (seen is not null)
        {
            for (var i = 0; i < seen.Length; i++)
            {
                if (!seen[i])
                {
                    writer.WritePropertyName(rule.Defaults[i].Name);
                    rule.Defaults[i].Write(writer);
                }
            }
        }
        writer.WriteEndObject();
    }

    private static RenderRule? Find(ref Utf8JsonReader reader, RenderRule rule)
    {
        foreach (var (_, name, member) in rule.Members)
        {
            if (reader.ValueTextEquals(name))
            {
                return member;
            }
        }
        return null;
    }

    private static void MarkSeen(ref Utf8JsonReader reader, RenderRule rule, bool[] seen)
    {
        for (var i = 0; i < seen.Length; i++)
        {
            if (reader.ValueTextEquals(rule.Defaults[i].Utf8Name))
            {
                seen[i] = true;
            }
        }
    }

    /// <summary>Copies the current value, whole, as its stored bytes.</summary>
    private static void CopyRaw(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, Utf8JsonWriter writer)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        writer.WriteRawValue(json[start..(int)reader.BytesConsumed], skipInputValidation: true);
    }
}
