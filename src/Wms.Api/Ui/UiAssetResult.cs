using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Wms.Api.Ui;

/// <summary>
/// Answers one web view file with its entity tag and <c>Cache-Control: no-cache</c>: a browser keeps the file but asks
/// each time whether it changed, and an unchanged file costs a 304 without a body. A new release is so picked up at
/// once, with no versioned names to keep in step across the pages.
/// </summary>
public sealed class UiAssetResult(UiAsset asset) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var request = httpContext.Request;
        var response = httpContext.Response;
        response.Headers.ETag = asset.ETag;
        response.Headers.CacheControl = "no-cache";
        if (Unchanged(request))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        await response.Body.WriteAsync(asset.Content, httpContext.RequestAborted);
    }

    /// <summary>The browser already holds these bytes: one of its tags matches (weakly, as for a GET), or it says <c>*</c>.</summary>
    private bool Unchanged(HttpRequest request)
    {
        var held = request.GetTypedHeaders().IfNoneMatch;
        if (held.Count == 0)
        {
            return false;
        }
        var current = EntityTagHeaderValue.Parse(asset.ETag);
        return held.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
    }
}
