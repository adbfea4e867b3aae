using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

using Wms.GrainInterfaces.Mqs;

namespace Wms.Grains.Mqs;

/// <summary>
/// OAuth2 client-credentials bearer tokens for calls to the MQS: fetched once, reused, and renewed a little
/// before they expire. No token endpoint configured means no token.
/// </summary>
public sealed class MqsTokenSource(HttpClient http, IOptions<MqsOptions> options, TimeProvider time)
{
    private static readonly TimeSpan RenewEarly = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _renewAt;

    public async Task<string?> GetAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.TokenUrl))
        {
            return null;
        }
        if (_token is not null && time.GetUtcNow() < _renewAt)
        {
            return _token;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_token is not null && time.GetUtcNow() < _renewAt)
            {
                return _token;
            }
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = o.ClientId ?? "",
                ["client_secret"] = o.ClientSecret ?? "",
            });
            using var response = await http.PostAsync(o.TokenUrl, form, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new MqsException($"the MQS token endpoint answered {(int)response.StatusCode}");
            }
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var token = body?["access_token"]?.GetValue<string>()
                ?? throw new MqsException("the MQS token endpoint gave no access_token");
            var lifetime = body["expires_in"]?.GetValue<double>() ?? 300;
            _token = token;
            _renewAt = time.GetUtcNow() + TimeSpan.FromSeconds(Math.Max(0, lifetime - RenewEarly.TotalSeconds));
            return token;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            throw new MqsException($"the MQS token endpoint failed: {e.Message}", e);
        }
        finally
        {
            _gate.Release();
        }
    }
}
