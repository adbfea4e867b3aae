using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Wms.Api.Security;

/// <summary>
/// Endpoint metadata: the endpoint serves a page for a browser (the API reference, the Orleans dashboard), or one of
/// its scripts, styles, fonts or data. Its answers carry <see cref="ContentSecurityPolicy"/> instead of the API's,
/// which lets the page run its own scripts and styles from this service, and nothing from anywhere else: a page
/// that tried to load a font or script from a CDN, or to send anything to another host, is stopped by the browser.
/// </summary>
public sealed class BrowserPage
{
    /// <summary>
    /// Scripts from this service only (an inline script only with the request's nonce); styles may be inline, as the
    /// pages' frameworks set them on elements; images and fonts may also be data URLs.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private static readonly object NonceKey = new();

    public static BrowserPage Instance { get; } = new(keepsItsCaching: false);

    /// <summary>
    /// A page whose answers say themselves how a browser may cache them (an <c>ETag</c> to revalidate with), instead
    /// of the API's <c>no-store</c>: the web view's assets, which are the same for everyone.
    /// </summary>
    public static BrowserPage Revalidated { get; } = new(keepsItsCaching: true);

    private BrowserPage(bool keepsItsCaching)
    {
        KeepsItsCaching = keepsItsCaching;
    }

    /// <summary>The answer's own <c>Cache-Control</c> stands; otherwise it is <c>no-store</c>, as for the API.</summary>
    public bool KeepsItsCaching { get; }

    /// <summary>
    /// The nonce that admits this request's inline script, made on first ask; the page puts it on its script tag and
    /// the answer's policy names it.
    /// </summary>
    public static string NonceFor(HttpContext context)
    {
        if (context.Items.TryGetValue(NonceKey, out var made) && made is string nonce)
        {
            return nonce;
        }
        // Hex rather than base64: nothing in it needs escaping in the HTML attribute the page writes it into.
        nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        return nonce;
    }

    /// <summary>The policy of this request's answer: <see cref="ContentSecurityPolicy"/>, with its nonce if it has one.</summary>
    public static string PolicyFor(HttpContext context) =>
        context.Items.TryGetValue(NonceKey, out var made) && made is string nonce
            ? ContentSecurityPolicy.Replace("script-src 'self'", $"script-src 'self' 'nonce-{nonce}'", StringComparison.Ordinal)
            : ContentSecurityPolicy;
}

public static class BrowserPages
{
    /// <summary>Marks the endpoints as a browser page's (<see cref="BrowserPage"/>).</summary>
    public static TBuilder ServedAsBrowserPage<TBuilder>(this TBuilder endpoint)
        where TBuilder : IEndpointConventionBuilder
    {
        endpoint.Add(b => b.Metadata.Add(BrowserPage.Instance));
        return endpoint;
    }

    /// <summary>
    /// Marks the endpoints as a browser page's whose answers set their own caching (<see cref="BrowserPage.Revalidated"/>).
    /// </summary>
    public static TBuilder ServedAsRevalidatedBrowserPage<TBuilder>(this TBuilder endpoint)
        where TBuilder : IEndpointConventionBuilder
    {
        endpoint.Add(b => b.Metadata.Add(BrowserPage.Revalidated));
        return endpoint;
    }
}
