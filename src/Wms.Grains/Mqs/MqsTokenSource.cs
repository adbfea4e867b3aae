using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

using Wms.GrainInterfaces.Mqs;

namespace Wms.Grains.Mqs;

/// <summary>
/// OAuth2 client-credentials bearer tokens for calls to the MQS: fetched once, shared by every caller in the silo,
/// and renewed a little before they expire. No token endpoint configured means no token. One instance per silo
/// (a singleton), so that grains do not each fetch their own.
/// </summary>
public sealed class MqsTokenSource(IHttpClientFactory clients, IOptions<MqsOptions> options, TimeProvider time)
    : IDisposable
{
    /// <summary>The named HTTP client used for the token endpoint.</summary>
    public const string HttpClientName = "mqs-token";

    private static readonly TimeSpan RenewEarly = TimeSpan.FromSeconds(30);

    /// <summary>A token endpoint that names no lifetime gets this one.</summary>
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Even a token said to live for years is renewed this often.</summary>
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(12);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _renewAt;

    /// <summary>The current token, or null when no token endpoint is configured.</summary>
    /// <exception cref="MqsException">The token endpoint failed; the message never holds the secret.</exception>
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
            var (token, lifetime) = await FetchAsync(o, cancellationToken);
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

    private async Task<(string Token, TimeSpan Lifetime)> FetchAsync(MqsOptions o, CancellationToken cancellationToken)
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
            using var response = await clients.CreateClient(HttpClientName).PostAsync(o.TokenUrl, form, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                // The body is not quoted: an identity provider's error page may echo what it was sent.
                throw new MqsException($"the MQS token endpoint answered {(int)response.StatusCode}");
            }
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(timeout.Token)) as JsonObject;
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
}
