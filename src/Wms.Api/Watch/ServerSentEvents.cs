using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;

namespace Wms.Api.Watch;

/// <summary>The Server-Sent Events wire format: fields of one line each, an empty line after each event.</summary>
public static class ServerSentEvents
{
    public const string ContentType = "text/event-stream";

    /// <summary>How long a client waits before it reconnects after the stream ends, in milliseconds.</summary>
    public const int RetryMilliseconds = 2000;

    public static void WriteRetry(PipeWriter writer) =>
        WriteText(writer, "retry: " + RetryMilliseconds.ToString(CultureInfo.InvariantCulture) + "\n\n");

    /// <summary>One event; <paramref name="data"/> is one line of JSON (JSON escapes every line break in it).</summary>
    public static void WriteEvent(PipeWriter writer, string id, string name, ReadOnlySpan<byte> data)
    {
        WriteText(writer, "id: " + id + "\nevent: " + name + "\ndata: ");
        writer.Write(data);
        writer.Write("\n\n"u8);
    }

    /// <summary>One event as bytes, to be written as they are to every client that gets it.</summary>
    public static byte[] Event(string id, string name, ReadOnlySpan<byte> data)
    {
        var buffer = new ArrayBufferWriter<byte>(data.Length + id.Length + name.Length + 24);
        var head = "id: " + id + "\nevent: " + name + "\ndata: ";
        buffer.Advance(Encoding.UTF8.GetBytes(head, buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(head.Length))));
        buffer.Write(data);
        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A comment line, which clients ignore and proxies see as traffic.</summary>
    public static void WriteComment(PipeWriter writer, string text) => WriteText(writer, ": " + text + "\n\n");

    private static void WriteText(PipeWriter writer, string text)
    {
        var span = writer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        writer.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
