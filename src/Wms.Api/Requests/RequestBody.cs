using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Wms.Api.Errors;

namespace Wms.Api.Requests;

/// <summary>Reads a request body as JSON, refusing oversized, deeply nested, duplicated or malformed input.</summary>
public static class RequestBody
{
    public const int MaxDepth = 64;

    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, bool allowEmpty = false)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        if (buffer.Length == 0)
        {
            return allowEmpty ? [] : throw new BadRequestException("the request body is empty; a JSON object is required");
        }
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(buffer.ToArray(), documentOptions: new JsonDocumentOptions
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
}
