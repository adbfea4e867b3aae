using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Wms.Api.Tests.Pages;

/// <summary>
/// Stands in for <c>GET /v1/workflows/{id}/events</c> (issue 17 item 3, built elsewhere) in front of a real service,
/// speaking the agreed Server-Sent Events wire format: <c>retry:</c> first, then events with an id, a name and one
/// line of JSON data. The test decides what is sent and when the connection drops, and sees what each connection
/// resumed from (its <c>Last-Event-ID</c>), so that the web view's reading, applying and resuming are tested exactly.
/// </summary>
public sealed class StandInEventStream : IStartupFilter
{
    private readonly Channel<Frame> _frames = Channel.CreateUnbounded<Frame>();
    private readonly ConcurrentQueue<Connection> _connections = new();
    private int _lastId;

    /// <summary>Each connection the page made, oldest first.</summary>
    public IReadOnlyList<Connection> Connections => [.. _connections];

    /// <summary>The id the next event gets: ids are numbers counted up, opaque to the page.</summary>
    public string LastId => _lastId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, rest) =>
        {
            if (HttpMethods.IsGet(context.Request.Method) && IsEventsPath(context.Request.Path))
            {
                await ServeAsync(context);
                return;
            }
            await rest(context);
        });
        next(app);
    };

    /// <summary>Queues an event; the open connection sends it, or the next one when none is open.</summary>
    public string Send(string name, JsonNode data)
    {
        var id = Interlocked.Increment(ref _lastId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _frames.Writer.TryWrite(new Frame(id, name, data.ToJsonString()));
        return id;
    }

    /// <summary>Ends the open connection, as a proxy's timeout or a network drop would.</summary>
    public void Drop() => _frames.Writer.TryWrite(new Frame(null, null, null));

    private static bool IsEventsPath(PathString path) =>
        path.StartsWithSegments("/v1/workflows") && path.Value!.EndsWith("/events", StringComparison.Ordinal);

    private async Task ServeAsync(HttpContext context)
    {
        _connections.Enqueue(new Connection(
            context.Request.Headers["Last-Event-ID"].FirstOrDefault(),
            context.Request.Headers.Authorization.FirstOrDefault()));
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        // A short retry, so that a test waits little for the page to come back.
        await response.WriteAsync("retry: 200\n\n", context.RequestAborted);
        await response.Body.FlushAsync(context.RequestAborted);
        try
        {
            await foreach (var frame in _frames.Reader.ReadAllAsync(context.RequestAborted))
            {
                if (frame.Id is null)
                {
                    return;
                }
                await response.WriteAsync($"id: {frame.Id}\nevent: {frame.Name}\ndata: {frame.Data}\n\n", context.RequestAborted);
                await response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    /// <summary>One connection of the page: where it resumed from, and the token it sent.</summary>
    public sealed record Connection(string? LastEventId, string? Authorization);

    private sealed record Frame(string? Id, string? Name, string? Data);
}
