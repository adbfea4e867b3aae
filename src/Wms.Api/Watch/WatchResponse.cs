using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Domain.Watch;

namespace Wms.Api.Watch;

/// <summary>
/// One client's event stream, from its first line to its end: the retry interval, then either the events it missed
/// since the id it names (an exact resume) or a snapshot, then every event as it comes, until the client leaves,
/// falls too far behind, or the service stops.
/// </summary>
public static class WatchResponse
{
    /// <summary>The header a reconnecting EventSource sends, and the query argument a client may use instead.</summary>
    public const string LastEventIdHeader = "Last-Event-ID";

    public const string LastEventIdQuery = "last_event_id";

    public static async Task RunAsync(
        HttpContext context, string workflowId, ApiGeneration generation, IObjectIndex index, WatchHub hub)
    {
        var response = context.Response;
        var requested = LastEventId(context.Request);
        response.ContentType = ServerSentEvents.ContentType;
        // Proxies that buffer answers would hold the events back.
        response.Headers["X-Accel-Buffering"] = "no";
        var body = response.BodyWriter;
        if (hub.Stopping)
        {
            // Nothing to stream from a stopping silo: the client comes back in a moment, to another one.
            ServerSentEvents.WriteRetry(body);
            await body.FlushAsync(context.RequestAborted);
            return;
        }
        var connection = await hub.ConnectAsync(workflowId, generation, context.RequestAborted);
        try
        {
            ServerSentEvents.WriteRetry(body);
            await StartAsync(connection, requested, body, index, hub);
            await body.FlushAsync(connection.Ended);
            await ForwardAsync(connection, body, index);
        }
        catch (OperationCanceledException) when (connection.Ended.IsCancellationRequested)
        {
            // The client left, or the stream was ended for it (too slow, the service stopping).
        }
        finally
        {
            hub.Leave(connection);
        }
    }

    private static string? LastEventId(HttpRequest request)
    {
        var header = request.Headers[LastEventIdHeader].ToString();
        if (header.Length > 0)
        {
            return header;
        }
        var query = request.Query[LastEventIdQuery].ToString();
        return query.Length > 0 ? query : null;
    }

    /// <summary>The events missed since the requested id when they are all kept; a snapshot otherwise.</summary>
    private static async Task StartAsync(
        WatchConnection connection, string? requested, PipeWriter body, IObjectIndex index, WatchHub hub)
    {
        var position = EventPosition.Parse(requested);
        string cause;
        if (position is null)
        {
            cause = requested is null ? SnapshotCause.New : SnapshotCause.UnknownId;
        }
        else if (position.Value.Epoch != connection.Epoch)
        {
            cause = SnapshotCause.OtherEpoch;
        }
        else
        {
            var answer = await hub.ReadSinceAsync(connection.WorkflowId, position.Value);
            if (answer.Events is { } missed && answer.Epoch == connection.Epoch)
            {
                // From the client's own position; the silo's watcher may have passed it (events it queued for this
                // client are then skipped) or not reached it yet (its events up to the client's are skipped).
                var joined = connection.LastSent;
                connection.LastSent = position.Value.Sequence;
                foreach (var change in missed)
                {
                    WriteEvent(connection, body, WatchFrame.Event(answer.Epoch, change));
                }
                connection.LastSent = Math.Max(connection.LastSent, joined);
                return;
            }
            cause = answer.SnapshotCause ?? SnapshotCause.OtherEpoch;
        }
        await WriteSnapshotAsync(connection, body, index, cause);
    }

    private static async Task ForwardAsync(WatchConnection connection, PipeWriter body, IObjectIndex index)
    {
        var frames = connection.Frames;
        while (await frames.WaitToReadAsync(connection.Ended))
        {
            while (frames.TryRead(out var frame))
            {
                switch (frame.Kind)
                {
                    case WatchFrameKind.Event:
                        WriteEvent(connection, body, frame);
                        break;
                    case WatchFrameKind.Explain:
                        ServerSentEvents.WriteEvent(body, Id(connection), frame.Name, frame.Data(connection.Generation));
                        break;
                    case WatchFrameKind.Restart:
                        connection.Epoch = frame.Epoch;
                        connection.LastSent = frame.Sequence;
                        await WriteSnapshotAsync(connection, body, index, SnapshotCause.Restarted);
                        break;
                    default:
                        ServerSentEvents.WriteComment(body, "keep-alive");
                        break;
                }
            }
            await body.FlushAsync(connection.Ended);
        }
    }

    /// <summary>Writes an event the client does not have yet; one from before its position is skipped.</summary>
    private static void WriteEvent(WatchConnection connection, PipeWriter body, WatchFrame frame)
    {
        if (frame.Epoch != connection.Epoch || frame.Sequence <= connection.LastSent)
        {
            return;
        }
        connection.LastSent = frame.Sequence;
        body.Write(frame.Wire(connection.Generation));
    }

    private static async Task WriteSnapshotAsync(WatchConnection connection, PipeWriter body, IObjectIndex index, string cause)
    {
        var snapshot = await WatchSnapshot.ReadAsync(index, connection.WorkflowId, connection.Generation, cause, connection.Ended)
            ?? throw new InvalidOperationException($"watched workflow {connection.WorkflowId} is not in the index");
        ServerSentEvents.WriteEvent(body, Id(connection), "snapshot", snapshot);
    }

    private static string Id(WatchConnection connection) => new EventPosition(connection.Epoch, connection.LastSent).ToString();
}
