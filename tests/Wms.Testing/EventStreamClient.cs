using System.Globalization;
using System.Net;
using System.Text;
using System.Threading.Channels;

namespace Wms.Testing;

/// <summary>
/// A client of one Server-Sent Events stream, as a browser's EventSource reads it: lines of <c>field: value</c>, an
/// event dispatched at each empty line, comments (lines starting with <c>:</c>) and <c>retry:</c> kept aside. It reads
/// in the background, so a test can wait for the next event with a deadline.
/// </summary>
public sealed class EventStreamClient : IAsyncDisposable
{
    private readonly Channel<ServerSentEvent> _events = Channel.CreateUnbounded<ServerSentEvent>();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _comments = [];
    private readonly HttpResponseMessage _response;
    private readonly Task _reading;

    private readonly bool _explanations;

    private EventStreamClient(HttpResponseMessage response, bool explanations)
    {
        _response = response;
        _explanations = explanations;
        _reading = ReadAsync();
    }

    public HttpStatusCode Status => _response.StatusCode;

    public string? ContentType => _response.Content.Headers.ContentType?.MediaType;

    /// <summary>The last <c>retry:</c> the stream gave, in milliseconds.</summary>
    public int? Retry { get; private set; }

    /// <summary>True once the server ended the stream (or the connection broke).</summary>
    public bool Ended => _reading.IsCompleted;

    public IReadOnlyList<string> Comments
    {
        get
        {
            lock (_comments)
            {
                return [.. _comments];
            }
        }
    }

    /// <summary>
    /// Opens the stream. An answer that is not 200 is returned as it is (its body unread); <paramref name="lastEventId"/>
    /// is sent as the <c>Last-Event-ID</c> header, as a reconnecting EventSource sends it. <c>explain</c> events come
    /// whenever a taskforce's explanation changes, in no fixed place among the others, so they are dropped unless
    /// <paramref name="explanations"/> asks for them.
    /// </summary>
    public static async Task<EventStreamClient> OpenAsync(
        HttpClient http, string path, string? lastEventId = null, string? authorization = null, bool explanations = false,
        CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return new EventStreamClient(response, explanations);
    }

    /// <summary>The body of an answer that is not a stream (an error's JSON, say).</summary>
    public Task<string> ReadBodyAsync() => _response.Content.ReadAsStringAsync();

    /// <summary>The next event; null when the stream ended first. Fails the test past <paramref name="deadline"/>.</summary>
    public async Task<ServerSentEvent?> NextAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            return await _events.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false) && _events.Reader.TryRead(out var next) ? next : null;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"no event within {deadline.TotalSeconds} s");
        }
    }

    /// <summary>The events up to and including the first that <paramref name="until"/> accepts, oldest first.</summary>
    public async Task<List<ServerSentEvent>> ReadUntilAsync(Func<ServerSentEvent, bool> until, TimeSpan deadline)
    {
        var read = new List<ServerSentEvent>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var left = deadline - clock.Elapsed;
            ServerSentEvent? next;
            try
            {
                next = await NextAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"the awaited event did not come within {deadline.TotalSeconds} s; read: " +
                    string.Join(" | ", read.Select(e => $"{e.Name} {e.Data}")));
            }
            if (next is null)
            {
                throw new InvalidOperationException("the stream ended before the awaited event; read: " +
                    string.Join(" | ", read.Select(e => $"{e.Name} {e.Data}")));
            }
            read.Add(next);
            if (until(next))
            {
                return read;
            }
        }
    }

    /// <summary>Waits until the server ends the stream; false past the deadline.</summary>
    public async Task<bool> WaitForEndAsync(TimeSpan deadline)
    {
        try
        {
            await _reading.WaitAsync(deadline).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _response.Dispose();
        try
        {
            await _reading.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException)
        {
            // The stream was cut by this dispose.
        }
        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        try
        {
            if (_response.StatusCode != HttpStatusCode.OK)
            {
                return;
            }
            var body = await _response.Content.ReadAsStreamAsync(_stop.Token).ConfigureAwait(false);
            await using var disposeBody = body.ConfigureAwait(false);
            using var reader = new StreamReader(body, Encoding.UTF8);
            // The id persists from event to event, as an EventSource's last event id does.
            string? id = null;
            string? name = null;
            var data = new StringBuilder();
            var hasData = false;
            while (await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    if (hasData)
                    {
                        if (_explanations || name != "explain")
                        {
                            _events.Writer.TryWrite(new ServerSentEvent(id, name ?? "message", data.ToString()));
                        }
                    }
                    (name, hasData) = (null, false);
                    data.Clear();
                    continue;
                }
                if (line[0] == ':')
                {
                    lock (_comments)
                    {
                        _comments.Add(line[1..].Trim());
                    }
                    continue;
                }
                var colon = line.IndexOf(':');
                var field = colon < 0 ? line : line[..colon];
                var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
                switch (field)
                {
                    case "id":
                        id = value;
                        break;
                    case "event":
                        name = value;
                        break;
                    case "data":
                        if (hasData)
                        {
                            data.Append('\n');
                        }
                        data.Append(value);
                        hasData = true;
                        break;
                    case "retry":
                        Retry = int.Parse(value, CultureInfo.InvariantCulture);
                        break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException)
        {
            // Cut by the test, or by the server: the stream has ended either way.
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }
}
