using System.Threading.Channels;
using Wms.Domain.Model;

namespace Wms.Api.Watch;

/// <summary>
/// One client's stream of one workflow on this silo: a bounded queue its silo's watcher fills and its request
/// writes out, and where in the events the client is. A client that lets the queue fill is disconnected, never
/// allowed to grow memory; it reconnects and resumes with its last event's id.
/// </summary>
public sealed class WatchConnection : IDisposable
{
    private readonly Channel<WatchFrame> _queue;
    private readonly CancellationTokenSource _ended;

    public WatchConnection(string workflowId, ApiGeneration generation, int capacity, CancellationToken requestAborted)
    {
        WorkflowId = workflowId;
        Generation = generation;
        _queue = Channel.CreateBounded<WatchFrame>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _ended = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
    }

    public string WorkflowId { get; }

    public ApiGeneration Generation { get; }

    /// <summary>The epoch of the events this client is sent.</summary>
    public string Epoch { get; set; } = "";

    /// <summary>The number of the last event written to the client (or that its snapshot holds).</summary>
    public long LastSent { get; set; }

    /// <summary>Why the stream ended early (too slow, the service stopping); null while it runs.</summary>
    public string? EndedBecause { get; private set; }

    /// <summary>Cancelled when the client leaves, or the stream is ended for it.</summary>
    public CancellationToken Ended => _ended.Token;

    public ChannelReader<WatchFrame> Frames => _queue.Reader;

    /// <summary>Queues a frame; a full queue ends the stream (the client resumes from its last event).</summary>
    public void Offer(WatchFrame frame)
    {
        if (!_queue.Writer.TryWrite(frame))
        {
            End("too slow");
        }
    }

    /// <summary>Ends the stream at once, whatever is still queued.</summary>
    public void End(string because)
    {
        if (EndedBecause is not null)
        {
            return;
        }
        EndedBecause = because;
        _queue.Writer.TryComplete();
        try
        {
            _ended.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The request is over already.
        }
    }

    public void Dispose() => _ended.Dispose();
}
