using System.Text.RegularExpressions;

namespace Wms.Api.Tests.Pages;

/// <summary>What a page's HTML, CSS and scripts refer to: the assets they load, and any address of another host.</summary>
public static partial class PageText
{
    /// <summary>
    /// Namespace names, such as SVG's <c>http://www.w3.org/2000/svg</c>, look like addresses but name a vocabulary;
    /// no browser fetches them.
    /// </summary>
    private const string NamespaceNames = "http://www.w3.org/";

    /// <summary>Every http(s) address in the text whose host is not the service's, namespace names aside.</summary>
    public static IReadOnlyList<string> ExternalAddresses(string text, Uri service) =>
        Addresses().Matches(text).Select(m => m.Value)
            .Where(a => !a.StartsWith(NamespaceNames, StringComparison.Ordinal) && !IsService(a, service))
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// The http(s) addresses of other hosts that a script would load: imported as modules, or named by a
    /// stylesheet's <c>url(...)</c> or <c>@import</c>, or as an element's <c>src</c>. A bundled library's links to
    /// its documentation and its example data are addresses too, but nothing loads them.
    /// </summary>
    public static IReadOnlyList<string> ExternalLoads(string script, Uri service) =>
        Loads().Matches(script).Select(m => m.Groups["address"].Value)
            .Where(a => !IsService(a, service))
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>What the HTML loads: its scripts' <c>src</c> and its links' <c>href</c>, as written.</summary>
    public static IReadOnlyList<string> Assets(string html) =>
        HtmlAssets().Matches(html).Select(m => m.Groups["address"].Value).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>What a stylesheet loads by <c>url(...)</c>, data URLs aside, as written.</summary>
    public static IReadOnlyList<string> StylesheetAssets(string css) =>
        CssUrls().Matches(css).Select(m => m.Groups["address"].Value)
            .Where(a => !a.StartsWith("data:", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();

    private static bool IsService(string address, Uri service) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Authority == service.Authority;

    [GeneratedRegex(@"https?://[^\s""'`<>()\\]+", RegexOptions.IgnoreCase)]
    private static partial Regex Addresses();

    // Case matters: "new URL(" builds an address, it loads nothing.
    [GeneratedRegex(@"(?:\bimport\s*\(\s*|\bfrom\s*|@import\s+(?:url\()?\s*|\burl\(\s*|\bsrc\s*[:=]\s*)[""'`]?(?<address>https?://[^""'`\s)]+)")]
    private static partial Regex Loads();

    [GeneratedRegex(@"<(?:script|link)\b[^>]*?\b(?:src|href)\s*=\s*[""'](?<address>[^""']+)[""']", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlAssets();

    [GeneratedRegex(@"url\(\s*[""']?(?<address>[^""')]+)[""']?\s*\)", RegexOptions.IgnoreCase)]
    private static partial Regex CssUrls();
}
