using Wms.Domain.Model;
using Wms.GrainInterfaces.Watch;

namespace Wms.Api.Watch;

/// <summary>What a silo's watcher queues for one client; the client's stream writes it.</summary>
public enum WatchFrameKind
{
    /// <summary>A numbered <c>taskforce</c> or <c>workflow</c> event.</summary>
    Event,

    /// <summary>An <c>explain</c> event; it carries the id of the last event before it.</summary>
    Explain,

    /// <summary>The events start again from a sequence: the client gets a fresh snapshot first.</summary>
    Restart,

    /// <summary>A comment line that keeps an idle connection open.</summary>
    KeepAlive,
}

/// <summary>
/// One item of a client's queue. An event's data is rendered once for every client of the silo that shows it in
/// the same generation, when the first of them writes it.
/// </summary>
public sealed class WatchFrame
{
    public static readonly WatchFrame KeepAlive = new(WatchFrameKind.KeepAlive, "", 0);

    private byte[]? _v0;
    private byte[]? _v1;
    private byte[]? _wireV0;
    private byte[]? _wireV1;

    private WatchFrame(WatchFrameKind kind, string epoch, long sequence)
    {
        Kind = kind;
        Epoch = epoch;
        Sequence = sequence;
    }

    public WatchFrameKind Kind { get; }

    public string Epoch { get; }

    /// <summary>The event's number (<see cref="WatchFrameKind.Event"/>), or where a restart continues from.</summary>
    public long Sequence { get; }

    public WatchEvent? Change { get; private init; }

    /// <summary>The SSE event name.</summary>
    public string Name => Kind == WatchFrameKind.Explain ? "explain" : Change?.Taskforce is not null ? "taskforce" : "workflow";

    public static WatchFrame Event(string epoch, WatchEvent change) =>
        new(WatchFrameKind.Event, epoch, change.Sequence) { Change = change };

    public static WatchFrame Explain(ReadOnlyMemory<byte> json) =>
        new(WatchFrameKind.Explain, "", 0) { _v0 = json.ToArray() };

    public static WatchFrame Restart(string epoch, long sequence) => new(WatchFrameKind.Restart, epoch, sequence);

    /// <summary>
    /// A numbered event whole, as <paramref name="generation"/>'s clients are sent it: every client of the silo's
    /// watcher is at the same place in the same epoch, so the id is the same for all of them.
    /// </summary>
    public byte[] Wire(ApiGeneration generation)
    {
        if (Kind != WatchFrameKind.Event)
        {
            throw new InvalidOperationException($"a {Kind} frame has no id of its own");
        }
        return generation == ApiGeneration.V1
            ? _wireV1 ??= ServerSentEvents.Event(ToString(), Name, Data(generation))
            : _wireV0 ??= ServerSentEvents.Event(ToString(), Name, Data(generation));
    }

    /// <summary>The event's id, <c>{epoch}-{sequence}</c>.</summary>
    public override string ToString() => new Domain.Watch.EventPosition(Epoch, Sequence).ToString();

    /// <summary>The event's data as <paramref name="generation"/> shows it.</summary>
    public byte[] Data(ApiGeneration generation)
    {
        if (Kind == WatchFrameKind.Explain || Change?.Taskforce is not null)
        {
            // The same in both generations.
            return _v0 ??= WatchJson.Taskforce(Change!.Taskforce!);
        }
        return generation == ApiGeneration.V1
            ? _v1 ??= WatchJson.Workflow(Change!, generation)
            : _v0 ??= WatchJson.Workflow(Change!, generation);
    }
}
