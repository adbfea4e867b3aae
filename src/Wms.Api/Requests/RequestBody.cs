using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Wms.Requests;

namespace Wms.Api.Requests;

/// <summary>Reads an HTTP request's body whole and judges it as <see cref="JsonBody"/> does.</summary>
public static class RequestBody
{
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, bool allowEmpty = false)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        return JsonBody.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), allowEmpty);
    }
}
