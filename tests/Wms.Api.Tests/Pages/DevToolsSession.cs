using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;

namespace Wms.Api.Tests.Pages;

/// <summary>
/// A connection to one Chromium page over the DevTools protocol (JSON messages on a WebSocket): commands with their
/// answers, and the events the page sends, kept in order. Just what the browser tests need; no package for it.
/// </summary>
public sealed class DevToolsSession : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly List<(string Method, JsonElement Params)> _events = [];
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private int _lastId;

    private DevToolsSession(ClientWebSocket socket)
    {
        _socket = socket;
        _receiving = Task.Run(ReceiveAsync);
    }

    public static async Task<DevToolsSession> ConnectAsync(Uri webSocket)
    {
        var socket = new ClientWebSocket();
        using var limit = new CancellationTokenSource(CommandTimeout);
        await socket.ConnectAsync(webSocket, limit.Token);
        return new DevToolsSession(socket);
    }

    /// <summary>Sends a command and gives its result; a command the browser refuses throws with its message.</summary>
    public async Task<JsonElement> SendAsync(string method, object? parameters = null)
    {
        var id = Interlocked.Increment(ref _lastId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var message = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters ?? new { } });
        await _sending.WaitAsync();
        try
        {
            using var limit = new CancellationTokenSource(CommandTimeout);
            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, limit.Token);
        }
        finally
        {
            _sending.Release();
        }
        var reply = await answer.Task.WaitAsync(CommandTimeout);
        if (reply.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"{method} failed: {error}");
        }
        return reply.GetProperty("result");
    }

    /// <summary>The parameters of every event of this kind received so far, oldest first.</summary>
    public IReadOnlyList<JsonElement> Events(string method)
    {
        lock (_events)
        {
            return _events.Where(e => e.Method == method).Select(e => e.Params).ToList();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, limit.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The browser may be gone already; nothing is left to close then.
        }
        await _receiving.ContinueWith(_ => { }, TaskScheduler.Default);
        _socket.Dispose();
        _stop.Dispose();
        _sending.Dispose();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var part = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (part.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                message.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage)
                {
                    continue;
                }
                Dispatch(JsonDocument.Parse(message.ToArray()).RootElement.Clone());
                message.SetLength(0);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The browser closed, or the session is being disposed.
        }
        finally
        {
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new InvalidOperationException("the browser's DevTools connection closed"));
            }
        }
    }

    private void Dispatch(JsonElement message)
    {
        if (message.TryGetProperty("id", out var id) && _pending.TryRemove(id.GetInt32(), out var answer))
        {
            answer.TrySetResult(message);
        }
        else if (message.TryGetProperty("method", out var method))
        {
            var parameters = message.TryGetProperty("params", out var p) ? p : default;
            lock (_events)
            {
                _events.Add((method.GetString()!, parameters));
            }
        }
    }
}
