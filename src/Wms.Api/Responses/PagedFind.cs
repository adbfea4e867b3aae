using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Wms.Api.Rendering;
using Wms.Api.Requests;
using Wms.Domain.Index;
using Wms.Domain.Model;

namespace Wms.Api.Responses;

/// <summary>
/// One page of a <c>/v1</c> find, <c>{"&lt;name&gt;": [...], "next_after": cursor|null}</c>: objects in their stored
/// order until the next would take the page past <paramref name="maxBytes"/>, written as they are read. A page holds
/// at least one object, so a find over an object larger than the limit still ends; <c>next_after</c> is null only
/// when nothing is left.
/// </summary>
public sealed class PagedFind(
    string name, IAsyncEnumerable<FoundObject> found, RenderRule? rule, bool projected, long maxBytes) : IResult
{
    private const int FlushEvery = 32 * 1024;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var cancel = httpContext.RequestAborted;
        // Pull the first object before answering, so a failing query still gets its own error status.
        await using var enumerator = found.GetAsyncEnumerator(cancel);
        var any = await enumerator.MoveNextAsync();
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        var options = new JsonWriterOptions { Encoder = WireJson.Options.Encoder };
        await using var writer = new Utf8JsonWriter(response.BodyWriter, options);
        writer.WriteStartObject();
        writer.WritePropertyName(name);
        writer.WriteStartArray();
        var scratch = new ArrayBufferWriter<byte>();
        long used = 0;
        FindPosition? last = null;
        var more = false;
        while (any)
        {
            scratch.ResetWrittenCount();
            await using (var one = new Utf8JsonWriter(scratch, options))
            {
                DocumentRenderer.Render(enumerator.Current.Document, rule, one, whole: !projected);
            }
            if (last is not null && used + scratch.WrittenCount > maxBytes)
            {
                more = true;
                break;
            }
            writer.WriteRawValue(scratch.WrittenSpan, skipInputValidation: true);
            used += scratch.WrittenCount;
            last = enumerator.Current.Position;
            if (writer.BytesPending > FlushEvery)
            {
                await writer.FlushAsync(cancel);
            }
            any = await enumerator.MoveNextAsync();
        }
        writer.WriteEndArray();
        if (more)
        {
            writer.WriteString("next_after", FindCursor.Encode(last!));
        }
        else
        {
            writer.WriteNull("next_after");
        }
        writer.WriteEndObject();
        await writer.FlushAsync(cancel);
    }
}
