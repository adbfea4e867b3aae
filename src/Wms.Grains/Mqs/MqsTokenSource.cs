using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using Wms.GrainInterfaces.Mqs;

namespace Wms.Grains.Mqs;

/// <summary>
/// OAuth2 client-credentials bearer tokens for calls to the MQS: fetched once, shared by every caller in the silo,
/// and renewed a little before they expire. No token URL configured means no token. One instance per silo
/// (a singleton), so that grains do not each fetch their own.
/// </summary>
/// <remarks>
/// The token URL is, as in the original service, the issuer (e.g. a Keycloak realm), whose OpenID discovery document
/// names the token endpoint. A token endpoint given directly keeps working: it has no discovery document under it,
/// so whatever answers there that is not one (Keycloak's 404, a 405, ...) means the URL itself is the endpoint. The
/// URL's shape decides nothing, since issuers and token endpoints are named every way. Only an answer settles the
/// question: no answer, or a server error, is a failure tried again on the next call.
/// </remarks>
public sealed partial class MqsTokenSource(
    IHttpClientFactory clients, IOptions<MqsOptions> options, TimeProvider time, ILogger<MqsTokenSource> logger)
    : IDisposable
{
    /// <summary>The named HTTP client used for discovery and the token endpoint.</summary>
    public const string HttpClientName = "mqs-token";

    private const string WellKnown = "/.well-known/openid-configuration";

    private static readonly TimeSpan RenewEarly = TimeSpan.FromSeconds(30);

    /// <summary>A token endpoint that names no lifetime gets this one.</summary>
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Even a token said to live for years is renewed this often.</summary>
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(12);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Uri? _tokenEndpoint;
    private string? _token;
    private DateTimeOffset _renewAt;

    /// <summary>The current token, or null when no token URL is configured.</summary>
    /// <exception cref="MqsException">Discovery or the token endpoint failed; the message never holds the secret.</exception>
    public async Task<string?> GetAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.TokenUrl))
        {
            return null;
        }
        if (Current() is { } cached)
        {
            return cached;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have renewed it while this one waited.
            if (Current() is { } renewed)
            {
                return renewed;
            }
            _tokenEndpoint ??= await FindTokenEndpointAsync(o, cancellationToken);
            var (token, lifetime) = await FetchAsync(_tokenEndpoint, o, cancellationToken);
            _token = token;
            _renewAt = time.GetUtcNow() + (lifetime > RenewEarly ? lifetime - RenewEarly : TimeSpan.Zero);
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private string? Current() => _token is not null && time.GetUtcNow() < _renewAt ? _token : null;

    /// <summary>The token endpoint: discovered under the token URL, or the token URL itself when it has no discovery document.</summary>
    private async Task<Uri> FindTokenEndpointAsync(MqsOptions o, CancellationToken cancellationToken)
    {
        var text = o.TokenUrl!.Trim();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var configured) || configured.Scheme is not ("https" or "http"))
        {
            throw new MqsException("the MQS token URL is not an absolute http(s) URL");
        }
        var discovery = new Uri(text.EndsWith(WellKnown, StringComparison.Ordinal) ? text : text.TrimEnd('/') + WellKnown);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(o.RequestTimeout);
            using var response = await clients.CreateClient(HttpClientName).GetAsync(discovery, timeout.Token);
            if (IsServerTrouble(response.StatusCode))
            {
                throw new MqsException($"the MQS token issuer's discovery answered {(int)response.StatusCode}");
            }
            var document = response.IsSuccessStatusCode
                ? ParseObject(JsonBody.Of(await response.Content.ReadAsByteArrayAsync(timeout.Token)))
                : null;
            if (document?["token_endpoint"] is not JsonValue named || named.GetValueKind() != JsonValueKind.String)
            {
                if (logger.IsEnabled(LogLevel.Information))
                {
                    var given = Shown(configured);
                    LogTokenEndpointGiven(logger, given);
                }
                return configured;
            }
            var endpoint = UsableEndpoint(named.GetValue<string>(), configured);
            if (logger.IsEnabled(LogLevel.Information))
            {
                var (shownEndpoint, shownDiscovery) = (Shown(endpoint), Shown(discovery));
                LogTokenEndpointDiscovered(logger, shownEndpoint, shownDiscovery);
            }
            return endpoint;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException &&
                                  !cancellationToken.IsCancellationRequested)
        {
            throw new MqsException($"the MQS token issuer {MqsFailure.Describe(e)}", e);
        }
    }

    /// <summary>
    /// The discovered endpoint, when the client secret may go there: an absolute http(s) URL, and not plain http when
    /// the issuer itself was asked over https.
    /// </summary>
    private static Uri UsableEndpoint(string named, Uri issuer) =>
        Uri.TryCreate(named, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "https" or "http" &&
        !(issuer.Scheme == "https" && endpoint.Scheme == "http")
            ? endpoint
            : throw new MqsException("the MQS token issuer's discovery names no usable token endpoint");

    /// <summary>A URL as logged: any user:password in it is left out.</summary>
    private static string Shown(Uri url) =>
        url.UserInfo.Length > 0 ? new UriBuilder(url) { UserName = "", Password = "" }.Uri.AbsoluteUri : url.AbsoluteUri;

    /// <summary>No answer a client can act on: the issuer is down, overloaded or restarting.</summary>
    private static bool IsServerTrouble(HttpStatusCode status) =>
        status >= HttpStatusCode.InternalServerError || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>The JSON object of a body, or null when it is not one: a body that is not a discovery document.</summary>
    private static JsonObject? ParseObject(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonNode.Parse(body.Span) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<(string Token, TimeSpan Lifetime)> FetchAsync(Uri endpoint, MqsOptions o, CancellationToken cancellationToken)
    {
        try
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = o.ClientId ?? "",
                ["client_secret"] = o.ClientSecret ?? "",
            });
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(o.RequestTimeout);
            using var response = await clients.CreateClient(HttpClientName).PostAsync(endpoint, form, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                // The body is not quoted: an identity provider's error page may echo what it was sent.
                throw new MqsException($"the MQS token endpoint answered {(int)response.StatusCode}");
            }
            var body = JsonNode.Parse(JsonBody.Of(await response.Content.ReadAsByteArrayAsync(timeout.Token)).Span) as JsonObject;
            if (body?["access_token"] is not JsonValue access || access.GetValueKind() != JsonValueKind.String ||
                access.GetValue<string>() is not { Length: > 0 } token)
            {
                throw new MqsException("the MQS token endpoint gave no access_token");
            }
            return (token, Lifetime(body["expires_in"]));
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException or
                                      InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            // Only the kind of failure, in words: messages of the HTTP stack name its types and can carry the answer.
            throw new MqsException($"the MQS token endpoint {MqsFailure.Describe(e)}", e);
        }
    }

    /// <summary><c>expires_in</c> is seconds, as a number or (some providers) a numeric string.</summary>
    private static TimeSpan Lifetime(JsonNode? expiresIn)
    {
        double? seconds = expiresIn switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
            JsonValue v when v.GetValueKind() == JsonValueKind.String &&
                double.TryParse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) => s,
            _ => null,
        };
        if (seconds is not { } value || double.IsNaN(value))
        {
            return DefaultLifetime;
        }
        return value <= 0 ? TimeSpan.Zero : value >= MaxLifetime.TotalSeconds ? MaxLifetime : TimeSpan.FromSeconds(value);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "MQS tokens come from the token endpoint {Endpoint}, named by the discovery document at {Discovery}")]
    private static partial void LogTokenEndpointDiscovered(ILogger logger, string endpoint, string discovery);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "MQS tokens come from the token endpoint {Endpoint} as given: it has no discovery document")]
    private static partial void LogTokenEndpointGiven(ILogger logger, string endpoint);
}
