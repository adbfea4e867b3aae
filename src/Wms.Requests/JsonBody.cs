using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace Wms.Requests;

/// <summary>
/// Reads a request body as JSON, refusing oversized, deeply nested, duplicated or malformed input, with the texts
/// the service answers. The size of the whole body is bounded by the server (WMS_MAX_REQUEST_BYTES); this bounds
/// what one body may hold.
/// </summary>
public static class JsonBody
{
    public const int MaxDepth = 64;

    /// <summary>Longest string (value or key, in UTF-8 bytes once unescaped) any request may hold.</summary>
    public const int MaxStringBytes = 64 * 1024;

    /// <summary>
    /// Most JSON tokens one body may hold: far beyond any real request, but it keeps a body of a million tiny
    /// values from costing the parsed tree's memory many times over.
    /// </summary>
    public const int MaxTokens = 1_000_000;

    /// <summary>
    /// Most items one list or object may hold. The largest real ones (a TMS status report, a query's <c>$in</c>
    /// list) stay far below; beyond it every item would cost a grain call or a comparison per document.
    /// </summary>
    public const int MaxItems = 10_000;

    /// <summary>The body as a JSON object; an empty one is <c>{}</c> when <paramref name="allowEmpty"/>.</summary>
    public static JsonObject Parse(ReadOnlySpan<byte> json, bool allowEmpty = false)
    {
        if (json.IsEmpty)
        {
            return allowEmpty ? [] : throw new BadRequestException("the request body is empty; a JSON object is required");
        }
        Scan(json);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions
            {
                MaxDepth = MaxDepth,
                AllowDuplicateProperties = false,
            });
        }
        catch (JsonException e)
        {
            throw new BadRequestException($"the request body is not valid JSON: {e.Message}");
        }
        catch (ArgumentException e)
        {
            throw new BadRequestException($"the request body is not valid JSON: {e.Message}");
        }
        return node as JsonObject ?? throw new BadRequestException("the request body must be a JSON object");
    }

    /// <summary>
    /// One pass over the tokens before anything is built from them: depth, token count, and every string's length
    /// and encoding (invalid UTF-8 or a lone surrogate escape would otherwise fail later, deep in a handler).
    /// </summary>
    private static void Scan(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        var tokens = 0;
        // Per open container (by depth): how many items so far, and whether it is a list.
        Span<int> items = stackalloc int[MaxDepth + 2];
        Span<bool> isList = stackalloc bool[MaxDepth + 2];
        try
        {
            while (reader.Read())
            {
                if (++tokens > MaxTokens)
                {
                    throw new BadRequestException($"the request body holds more than {MaxTokens} JSON values");
                }
                var depth = reader.CurrentDepth;
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        CheckString(ref reader);
                        CountItem(items, depth);
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray or JsonTokenType.Comment:
                        continue;
                    case JsonTokenType.String:
                        CheckString(ref reader);
                        break;
                }
                // A value: an item of the list it is in (in an object, its key was counted).
                if (depth > 0 && isList[depth])
                {
                    CountItem(items, depth);
                }
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    items[depth + 1] = 0;
                    isList[depth + 1] = reader.TokenType == JsonTokenType.StartArray;
                }
            }
        }
        catch (JsonException e)
        {
            throw new BadRequestException($"the request body is not valid JSON: {e.Message}");
        }
    }

    private static void CountItem(Span<int> items, int depth)
    {
        if (++items[depth] > MaxItems)
        {
            throw new BadRequestException($"the request body holds a list or object of more than {MaxItems} items");
        }
    }

    private static void CheckString(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        long length;
        if (reader.ValueIsEscaped)
        {
            string text;
            try
            {
                text = reader.GetString()!;
            }
            catch (InvalidOperationException)
            {
                throw new BadRequestException("the request body holds a string that is not valid Unicode");
            }
            length = Encoding.UTF8.GetByteCount(text);
        }
        else
        {
            if (!Utf8.IsValid(raw))
            {
                throw new BadRequestException("the request body holds a string that is not valid UTF-8");
            }
            length = raw.Length;
        }
        if (length > MaxStringBytes)
        {
            var what = reader.TokenType == JsonTokenType.PropertyName ? "a key" : "a string";
            throw new BadRequestException($"the request body holds {what} longer than {MaxStringBytes} bytes");
        }
    }
}
