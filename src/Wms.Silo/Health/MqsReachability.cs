using System.Globalization;
using Microsoft.Extensions.Options;
using Wms.Grains.Mqs;

namespace Wms.Silo.Health;

/// <summary>
/// Whether the configured MQS answers at all: one plain GET of its address, with a short limit, whose result is
/// shared for <see cref="Freshness"/>. Probes from every orchestrator and load balancer in front of the silo, and
/// any that arrive while one is out, share that one request, so readiness probes never load the MQS.
/// </summary>
public sealed class MqsReachability(IHttpClientFactory http, IOptions<MqsOptions> mqs, TimeProvider clock)
{
    /// <summary>The name of the HTTP client the probe uses: no token, no retries, nothing but the request.</summary>
    public const string HttpClientName = "mqs-reachability";

    /// <summary>How long one probe's result stands.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(5);

    /// <summary>How long the probe waits for an answer.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private Task<MqsProbe>? _latest;
    private long _latestStarted;

    /// <summary>The latest probe's result while it stands (or the one under way); otherwise a new probe's.</summary>
    public Task<MqsProbe> ProbeAsync()
    {
        lock (_gate)
        {
            if (_latest is null || (_latest.IsCompleted && clock.GetElapsedTime(_latestStarted) >= Freshness))
            {
                _latestStarted = clock.GetTimestamp();
                _latest = SendAsync();
            }
            return _latest;
        }
    }

    private async Task<MqsProbe> SendAsync()
    {
        var address = new Uri(mqs.Value.Address!, UriKind.Absolute);
        // The scheme, host and port alone: the address may carry credentials, which are nobody's business here.
        var shown = address.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
        using var limit = new CancellationTokenSource(Timeout, clock);
        try
        {
            using var response = await http.CreateClient(HttpClientName)
                .GetAsync(address, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            var status = (int)response.StatusCode;
            // Any answer of the MQS's own says it is there (its root may well be 404 or 401); a 5xx is most often a
            // proxy in front saying it is not.
            return status < 500
                ? new MqsProbe(true, string.Create(CultureInfo.InvariantCulture, $"the MQS at {shown} answers (HTTP {status})"))
                : new MqsProbe(false, string.Create(CultureInfo.InvariantCulture, $"the MQS at {shown} answers HTTP {status}"));
        }
        catch (OperationCanceledException)
        {
            return new MqsProbe(false, string.Create(CultureInfo.InvariantCulture,
                $"the MQS at {shown} cannot be reached: no answer within {Timeout.TotalSeconds} s"));
        }
        catch (HttpRequestException e)
        {
            return new MqsProbe(false, $"the MQS at {shown} cannot be reached: {e.Message}");
        }
    }
}
