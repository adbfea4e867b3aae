using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Wms.Api.Errors;

namespace Wms.Api.Security;

/// <summary>
/// The limits on a request's line and headers, enforced here rather than by the HTTP server, so that a refusal is
/// the contract's error body like every other. The server's own limits (<see cref="ServerRequestLineBytes"/>,
/// <see cref="ServerHeaderBytes"/>) sit far above these and only stop what no client sends.
/// </summary>
public static class RequestLimits
{
    public const int RequestLineBytes = 8 * 1024;
    public const int HeaderBytes = 32 * 1024;

    public const int ServerRequestLineBytes = 64 * 1024;
    public const int ServerHeaderBytes = 1024 * 1024;

    public const string RequestLineTooLong = "request line too long";
    public const string HeadersTooLarge = "request headers too large";

    public static void UseWmsRequestLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        if (target.Length > RequestLineBytes)
        {
            await ApiError.WriteAsync(context.Response, StatusCodes.Status414UriTooLong, RequestLineTooLong);
            return;
        }
        var headerBytes = 0L;
        foreach (var (name, values) in context.Request.Headers)
        {
            headerBytes += name.Length;
            foreach (var value in values)
            {
                headerBytes += value?.Length ?? 0;
            }
        }
        if (headerBytes > HeaderBytes)
        {
            await ApiError.WriteAsync(context.Response, StatusCodes.Status431RequestHeaderFieldsTooLarge, HeadersTooLarge);
            return;
        }
        await next(context);
    });
}
