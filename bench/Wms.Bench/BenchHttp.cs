using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace Wms.Bench;

/// <summary>The answer to one request: <see cref="Ok"/> when it was the expected status.</summary>
public readonly record struct Reply(bool Ok, int Status, byte[] Body);

/// <summary>
/// Sends requests and records them. One client setup for every target (the service and the trivial endpoint), so
/// that the ratios compare the servers and not the clients.
/// </summary>
public sealed class BenchHttp(Uri baseAddress) : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public Uri BaseAddress => baseAddress;

    /// <summary>
    /// Sends one request; 200 is success. A status in <paramref name="tolerated"/> is returned without being recorded,
    /// for the caller to judge; anything else, and any exception, is recorded as an error.
    /// </summary>
    public async Task<Reply> SendAsync(
        ClassRecord record, HttpMethod method, string path, byte[]? body = null, long items = 1, int? tolerated = null)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = Json;
            }
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var status = (int)response.StatusCode;
            if (status == 200)
            {
                record.Success(elapsed, items, bytes.Length);
                return new Reply(true, status, bytes);
            }
            if (status == tolerated)
            {
                return new Reply(false, status, bytes);
            }
            record.Error($"{status} {method} {path}: {Shorten(Encoding.UTF8.GetString(bytes))}");
            return new Reply(false, status, bytes);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            record.Error($"{e.GetType().Name} {method} {path}: {e.Message}");
            return new Reply(false, 0, []);
        }
    }

    public Task<Reply> GetAsync(ClassRecord record, string path) => SendAsync(record, HttpMethod.Get, path);

    public Task<Reply> PostAsync(ClassRecord record, string path, byte[] body, long items = 1, int? tolerated = null) =>
        SendAsync(record, HttpMethod.Post, path, body, items, tolerated);

    /// <summary>Waits until GET <paramref name="path"/> answers 200, or throws after <paramref name="limit"/>.</summary>
    public async Task WaitUntilUpAsync(string path, TimeSpan limit, Func<string?>? whyNot = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (whyNot?.Invoke() is { } reason)
            {
                throw new InvalidOperationException(reason);
            }
            if (Deadline.Aborted)
            {
                throw new OperationCanceledException("interrupted while waiting for the server to answer");
            }
            try
            {
                using var response = await _client.GetAsync(path);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                // not listening yet
            }
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"{new Uri(baseAddress, path)} did not answer within {limit.TotalSeconds} s");
            }
            await Task.Delay(100);
        }
    }

    public void Dispose() => _client.Dispose();

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
