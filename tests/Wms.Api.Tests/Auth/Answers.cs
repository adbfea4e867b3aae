using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Wms.Api.Tests.Auth;

/// <summary>Checks on answers shared by the auth and hostile-input suites.</summary>
public static partial class Answers
{
    public static readonly string[] SecurityHeaderNames =
        ["X-Content-Type-Options", "Cache-Control", "X-Frame-Options", "Referrer-Policy", "Content-Security-Policy"];

    /// <summary>The contract's error body and reason phrase; null when they are right, else what is wrong.</summary>
    public static string? ContractErrorProblem(HttpResponseMessage response, string text, int status, string? error)
    {
        if ((int)response.StatusCode != status)
        {
            return $"status {(int)response.StatusCode}, not {status}: {Clip(text)}";
        }
        JsonObject? body;
        try
        {
            body = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return $"the body is not JSON: {Clip(text)}";
        }
        if (body is null || body.Count != 2 || body["code"]?.GetValueKind() != JsonValueKind.Number ||
            body["code"]!.GetValue<int>() != status || body["error"]?.GetValueKind() != JsonValueKind.String)
        {
            return $"the body is not {{\"code\": {status}, \"error\": ...}}: {Clip(text)}";
        }
        var said = body["error"]!.GetValue<string>();
        if (error is not null && said != error)
        {
            return $"error '{said}', not '{error}'";
        }
        if (said.Length <= 512 && response.ReasonPhrase != new string(said.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray()))
        {
            return $"reason phrase '{response.ReasonPhrase}' is not the error text '{said}'";
        }
        return null;
    }

    /// <summary>
    /// Null when every security header is there with its value, else which are missing. A web view file
    /// (<paramref name="revalidatedAsset"/>) may be kept by the browser to revalidate with its ETag: <c>no-cache</c>
    /// rather than <c>no-store</c>.
    /// </summary>
    public static string? SecurityHeadersProblem(HttpResponseMessage response, bool revalidatedAsset = false)
    {
        var missing = SecurityHeaderNames.Where(h => !Has(response, h)).ToList();
        if (missing.Count > 0)
        {
            return "missing security headers: " + string.Join(", ", missing);
        }
        string Value(string name) => string.Join(",", response.Headers.TryGetValues(name, out var v) ? v
            : response.Content.Headers.TryGetValues(name, out var c) ? c : []);
        if (Value("X-Content-Type-Options") != "nosniff" || Value("X-Frame-Options") != "DENY" ||
            !CachedAsAllowed(Value("Cache-Control"), response, revalidatedAsset) || Value("Referrer-Policy") != "no-referrer" ||
            !Value("Content-Security-Policy").Contains("default-src 'none'", StringComparison.Ordinal))
        {
            return "a security header has the wrong value";
        }
        return response.Headers.Server.Count > 0 ? "the Server header names the server software" : null;
    }

    private static bool CachedAsAllowed(string cacheControl, HttpResponseMessage response, bool revalidatedAsset) =>
        cacheControl == "no-store" || (revalidatedAsset && cacheControl == "no-cache" && response.Headers.ETag is not null);

    /// <summary>Null when the text shows no stack trace, exception or .NET type name; else what it shows.</summary>
    public static string? InternalsProblem(string text)
    {
        var match = Internals().Match(text);
        return match.Success ? $"the answer shows '{match.Value}': {Clip(text)}" : null;
    }

    public static string Clip(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private static bool Has(HttpResponseMessage response, string name) =>
        response.Headers.Contains(name) || response.Content.Headers.Contains(name);

    [GeneratedRegex(@"\bat [\w.<>`]+\(|\.cs:line \d|Exception\b|\b(System|Microsoft|Orleans|Wms|Npgsql)\.[A-Z]\w+|HttpClient|MaxRequestBodySize|Kestrel")]
    private static partial Regex Internals();
}
