using Microsoft.AspNetCore.Http;

namespace Wms.Api.Responses;

/// <summary>Already-serialised JSON, written as is: the index keeps documents in wire form.</summary>
public sealed class RawJson(byte[] utf8, int statusCode = StatusCodes.Status200OK) : IResult
{
    public static readonly RawJson EmptyObject = new("{}"u8.ToArray());

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = "application/json";
        httpContext.Response.ContentLength = utf8.Length;
        await httpContext.Response.Body.WriteAsync(utf8, httpContext.RequestAborted);
    }
}
