using System.Buffers;

namespace Wms.Api.Tests.Http1;

/// <summary>Bytes as a sequence of several segments, as a connection's input holds what arrived in several reads.</summary>
public static class Segments
{
    public static ReadOnlySequence<byte> Of(byte[] bytes, Func<int> nextLength)
    {
        Segment? first = null;
        Segment? last = null;
        for (var at = 0; at < bytes.Length;)
        {
            var length = Math.Min(nextLength(), bytes.Length - at);
            var segment = new Segment(bytes.AsMemory(at, length), last?.RunningIndex + last?.Memory.Length ?? 0);
            if (last is null)
            {
                first = segment;
            }
            else
            {
                last.Next = segment;
            }
            last = segment;
            at += length;
        }
        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public new Segment? Next
        {
            get => (Segment?)base.Next;
            set => base.Next = value;
        }
    }
}
