using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Wms.Api.Rendering;

namespace Wms.Api.Responses;

/// <summary>
/// A find answer <c>{"&lt;name&gt;": [...]}</c> written document by document, so a large result is never held whole;
/// each shown by <paramref name="rule"/> (see <see cref="GenerationView"/>), as projected when
/// <paramref name="projected"/>.
/// </summary>
public sealed class StreamedFind(
    string name, IAsyncEnumerable<JsonObject> documents, RenderRule? rule = null, bool projected = false) : IResult
{
    private const int FlushEvery = 32 * 1024;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var cancel = httpContext.RequestAborted;
        // Pull the first document before answering, so a failing query still gets its own error status.
        await using var enumerator = documents.GetAsyncEnumerator(cancel);
        var any = await enumerator.MoveNextAsync();
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(response.BodyWriter);
        writer.WriteStartObject();
        writer.WritePropertyName(name);
        writer.WriteStartArray();
        while (any)
        {
            DocumentRenderer.Render(enumerator.Current, rule, writer, whole: !projected);
            if (writer.BytesPending > FlushEvery)
            {
                await writer.FlushAsync(cancel);
            }
            any = await enumerator.MoveNextAsync();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(cancel);
    }
}
