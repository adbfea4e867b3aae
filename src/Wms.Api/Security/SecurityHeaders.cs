using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Wms.Api.Security;

/// <summary>
/// Headers that keep a browser from doing anything clever with an answer: this is a JSON API, never a page, and
/// its answers (queue tokens among them) must not be cached, framed, sniffed or referred onwards. The pages for people
/// (<see cref="BrowserPage"/>) get a policy of their own that lets them run their scripts, from this service alone, and
/// the web view's assets, which hold no data, keep the caching they set (<see cref="BrowserPage.Revalidated"/>).
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>Goes first, so that answers written by the error handlers and the auth check carry them too.</summary>
    public static IApplicationBuilder UseWmsSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // Set when the answer starts: the exception handler clears headers set before it runs.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                var page = context.GetEndpoint()?.Metadata.GetMetadata<BrowserPage>();
                headers.XContentTypeOptions = "nosniff";
                if (page is not { KeepsItsCaching: true } || headers.CacheControl.Count == 0)
                {
                    headers.CacheControl = "no-store";
                }
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers.ContentSecurityPolicy = page is null ? ContentSecurityPolicy : BrowserPage.PolicyFor(context);
                return Task.CompletedTask;
            });
            return next(context);
        });
}
