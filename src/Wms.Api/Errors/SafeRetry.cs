using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Wms.Api.Errors;

/// <summary>
/// Tries a read once more when a passing failure (<see cref="TransientFailure"/>) cut it short and nothing was
/// answered yet: a read changes nothing, so the second try is as safe as the first, and the blip of a database
/// failover or a silo leaving costs the client nothing. Writes are not tried again here: the client decides, and
/// an <c>Idempotency-Key</c> makes its retry safe.
/// </summary>
public static class SafeRetry
{
    public static void UseWmsSafeRetry(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            await next(context);
            return;
        }
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested
            && TransientFailure.Of(e) is not null)
        {
            context.Response.Clear();
            await next(context);
        }
    });
}
