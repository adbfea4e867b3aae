using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Wms.Requests;

namespace Wms.Cli.Connection;

/// <summary>
/// Sends the CLI's requests to the service: the bearer token on each, JSON bodies, and retries of what may pass
/// (<see cref="RetryPolicy"/>). A POST that makes something carries an <c>Idempotency-Key</c>, the same on every
/// try, so that a retry after a lost answer makes nothing twice.
/// </summary>
public sealed class WmsClient : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);

    private readonly HttpClient _http;
    private readonly RetryPolicy _retries;
    private readonly TimeProvider _time;

    public WmsClient(ServiceSettings settings, TimeProvider time)
    {
        BaseAddress = settings.BaseAddress;
        _retries = new RetryPolicy(settings.Retries);
        _time = time;
        _http = new HttpClient { BaseAddress = settings.BaseAddress, Timeout = RequestTimeout };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("wms-cli", Version));
        if (settings.Token is { } token)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Uri BaseAddress { get; }

    private static string Version => typeof(WmsClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public Task<ServiceAnswer> GetAsync(string path, CancellationToken cancel) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), cancel);

    /// <summary>POSTs <paramref name="body"/>; with <paramref name="idempotencyKey"/>, every try carries that key.</summary>
    public Task<ServiceAnswer> PostAsync(string path, JsonNode body, string? idempotencyKey, CancellationToken cancel)
    {
        var json = Encoding.UTF8.GetBytes(body.ToJsonString());
        return SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(json) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            if (idempotencyKey is not null)
            {
                request.Headers.TryAddWithoutValidation(IdempotencyKeyRule.Header, idempotencyKey);
            }
            return request;
        }, cancel);
    }

    /// <summary>
    /// Opens a Server-Sent Events stream, resuming after <paramref name="lastEventId"/> when given. The caller reads
    /// the answer's body as long as it likes: the request timeout covers only the wait for its headers. A refusal
    /// is thrown as any other answer's would be; a failure to connect is left to the caller, which reconnects.
    /// </summary>
    public async Task<HttpResponseMessage> OpenEventsAsync(string path, string? lastEventId, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancel);
            throw ServiceRefusal.Of(response.StatusCode, body, response.ReasonPhrase);
        }
    }

    /// <summary>Whether <paramref name="e"/> means the service gave no answer (it may be back on the next try).</summary>
    public static bool IsUnreachable(Exception e, CancellationToken cancel) => IsConnectionFailure(e, cancel);

    /// <summary>The reason a connection failed, for the user's one line.</summary>
    public static string Describe(Exception e) => Reason(e);

    private async Task<ServiceAnswer> SendAsync(Func<HttpRequestMessage> make, CancellationToken cancel)
    {
        // The wait before a retry is decided where the try before it failed, from what that try met.
        var wait = TimeSpan.Zero;
        for (var retry = 0; ; retry++)
        {
            if (retry > 0)
            {
                await Task.Delay(wait, _time, cancel);
            }
            using var request = make();
            HttpResponseMessage? response = null;
            byte[] body;
            try
            {
                response = await _http.SendAsync(request, cancel);
                body = await response.Content.ReadAsByteArrayAsync(cancel);
            }
            catch (Exception e) when (IsConnectionFailure(e, cancel))
            {
                response?.Dispose();
                if (retry < _retries.Retries)
                {
                    wait = RetryPolicy.Wait(retry + 1, null, _time.GetUtcNow());
                    continue;
                }
                throw new CommandFailedException(ExitCodes.Unavailable,
                    $"cannot reach the service at {BaseAddress}: {Reason(e)}{Tries(retry)}");
            }
            using (response)
            {
                if (response.IsSuccessStatusCode)
                {
                    return new ServiceAnswer((int)response.StatusCode, body);
                }
                if (RetryPolicy.IsRetryable(response.StatusCode) && retry < _retries.Retries)
                {
                    wait = RetryPolicy.Wait(retry + 1, response.Headers.RetryAfter, _time.GetUtcNow());
                    continue;
                }
                throw ServiceRefusal.Of(response.StatusCode, body, response.ReasonPhrase);
            }
        }
    }

    /// <summary>No answer at all: refused or reset connections, unknown hosts, and timeouts the user did not cause.</summary>
    private static bool IsConnectionFailure(Exception e, CancellationToken cancel) =>
        e is HttpRequestException or IOException || (e is TaskCanceledException && !cancel.IsCancellationRequested);

    private static string Reason(Exception e)
    {
        if (e is TaskCanceledException)
        {
            return $"no answer within {RequestTimeout.TotalSeconds:0} s";
        }
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.Message;
            }
        }
        return e.Message;
    }

    private static string Tries(int retries) => retries == 0 ? "" : $" (tried {retries + 1} times)";

    public void Dispose() => _http.Dispose();
}
