using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Wms.Requests;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Wms.Cli.Input;

/// <summary>
/// Turns one YAML document into the JSON it stands for, so that a YAML workflow request is judged and sent as the
/// JSON one would be. Plain scalars follow YAML 1.2's core schema (null, booleans, integers, floats, else text);
/// quoted and block scalars are always text, so <c>"1.0"</c> stays a string while <c>1.0</c> is a number.
/// </summary>
public static partial class YamlJson
{
    private const string TagPrefix = "tag:yaml.org,2002:";

    /// <summary>
    /// Most values the document may expand to. An alias repeats what its anchor holds, so a few lines can stand for
    /// billions of values; the service's own bound on a body's values bounds them here too.
    /// </summary>
    public const int MaxValues = JsonBody.MaxTokens;

    /// <summary>The document's JSON; <see cref="YamlException"/> or <see cref="InvalidDataException"/> say why not.</summary>
    public static JsonNode? Convert(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents.Count != 1)
        {
            throw new InvalidDataException(stream.Documents.Count == 0
                ? "holds no YAML document"
                : $"holds {stream.Documents.Count} YAML documents; a request is one");
        }
        var values = 0;
        return Node(stream.Documents[0].RootNode, depth: 0, ref values);
    }

    private static JsonNode? Node(YamlNode node, int depth, ref int values)
    {
        if (++values > MaxValues)
        {
            throw new InvalidDataException($"expands to more than {MaxValues} values");
        }
        if (depth > JsonBody.MaxDepth)
        {
            throw new InvalidDataException($"nests deeper than {JsonBody.MaxDepth} levels (line {node.Start.Line})");
        }
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        throw new InvalidDataException($"line {key.Start.Line}: a key must be a plain text, not a list or a mapping");
                    }
                    obj[name] = Node(value, depth + 1, ref values);
                }
                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var item in sequence.Children)
                {
                    array.Add(Node(item, depth + 1, ref values));
                }
                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new InvalidDataException($"line {node.Start.Line}: a YAML node of an unknown kind");
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag is not null && tag != "!")
        {
            return Tagged(tag, text, scalar.Start);
        }
        if (scalar.Style != ScalarStyle.Plain || tag == "!")
        {
            return JsonValue.Create(text);
        }
        return TryPlain(text, scalar.Start, out var value) ? value : JsonValue.Create(text);
    }

    /// <summary>A plain scalar's value under the core schema; false when the scalar is text.</summary>
    private static bool TryPlain(string text, Mark at, out JsonNode? value)
    {
        value = null;
        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return true;
        }
        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            value = JsonValue.Create(text[0] is 't' or 'T');
            return true;
        }
        if (Integer().IsMatch(text))
        {
            value = Number(text);
            return true;
        }
        if (Float().IsMatch(text))
        {
            var number = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            value = double.IsFinite(number) ? JsonValue.Create(number) : throw NotJson(text, at);
            return true;
        }
        if (Hexadecimal().IsMatch(text))
        {
            value = JsonValue.Create(long.Parse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
            return true;
        }
        if (Octal().IsMatch(text))
        {
            value = JsonValue.Create(System.Convert.ToInt64(text[2..], 8));
            return true;
        }
        return NotANumber().IsMatch(text) ? throw NotJson(text, at) : false;
    }

    /// <summary>An integer kept exactly: its digits are given to the JSON parser, which keeps any length.</summary>
    private static JsonNode? Number(string text)
    {
        var digits = text.TrimStart('+');
        var negative = digits.StartsWith('-');
        digits = digits.TrimStart('-').TrimStart('0');
        return JsonNode.Parse((negative && digits.Length > 0 ? "-" : "") + (digits.Length == 0 ? "0" : digits));
    }

    private static JsonNode? Tagged(string tag, string text, Mark at)
    {
        var value = tag.StartsWith(TagPrefix, StringComparison.Ordinal) ? tag[TagPrefix.Length..] : null;
        return value switch
        {
            "str" => JsonValue.Create(text),
            "null" or "bool" or "int" or "float" => TryPlain(text, at, out var parsed) && Fits(value, parsed)
                ? parsed
                : throw new InvalidDataException($"line {at.Line}: '{text}' is not a !!{value}"),
            _ => throw new InvalidDataException($"line {at.Line}: the tag {tag} is not one a JSON request can hold"),
        };
    }

    private static bool Fits(string kind, JsonNode? parsed) => kind switch
    {
        "null" => parsed is null,
        "bool" => parsed is JsonValue v && v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False,
        _ => parsed is JsonValue n && n.GetValueKind() == System.Text.Json.JsonValueKind.Number,
    };

    private static InvalidDataException NotJson(string text, Mark at) =>
        new($"line {at.Line}: '{text}' is a number JSON cannot hold");

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    [GeneratedRegex(@"^0x[0-9a-fA-F]{1,15}$")]
    private static partial Regex Hexadecimal();

    [GeneratedRegex(@"^0o[0-7]{1,20}$")]
    private static partial Regex Octal();

    [GeneratedRegex(@"^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex NotANumber();
}
