using System.Buffers;
using System.Text;

namespace Wms.Api.Http1;

/// <summary>
/// Judges the head of a connection's first request (its request line and header lines) as the bytes arrive, by
/// the grammar and limits the HTTP server applies, so that what the server would refuse with a bare status is
/// refused here in the contract's error body instead. It refuses only what the server refuses, with the server's
/// status; anything it cannot be sure of is left to the server. Each line is judged once, as soon as it is complete,
/// so a client that stops after a bad line is answered at once, as the server would answer it.
/// </summary>
/// <remarks>
/// The buffer handed to <see cref="Examine"/> always starts at the connection's first byte (nothing is consumed
/// while the head is judged), so positions are offsets from there.
/// </remarks>
public sealed class RequestHeadJudge(RequestHeadLimits limits)
{
    /// <summary>HTTP/2's connection preface: a client with prior knowledge, which the server may speak with.</summary>
    private static ReadOnlySpan<byte> Http2Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    private long _position;
    private long _headersStart;
    private RequestLine? _line;
    private int _headerCount;
    private int _hostCount;
    private string? _host;
    private bool _hasContentLength;
    private List<string>? _transferEncodings;
    private bool _upgrade;

    /// <summary>Whether the request itself has begun to arrive (line breaks before it do not count).</summary>
    public bool HasStarted { get; private set; }

    /// <summary>Judges what has arrived; <paramref name="isCompleted"/>: the client has sent all it will.</summary>
    public HeadVerdict Examine(ReadOnlySequence<byte> buffer, bool isCompleted)
    {
        if (_line is null)
        {
            var verdict = ExamineRequestLine(buffer, isCompleted);
            if (_line is null)
            {
                return verdict;
            }
        }
        return ExamineHeaders(buffer, isCompleted);
    }

    private HeadVerdict ExamineRequestLine(in ReadOnlySequence<byte> buffer, bool isCompleted)
    {
        if (_position == 0 && MayBeHttp2(buffer, out var complete))
        {
            return complete || isCompleted ? HeadVerdict.Pass : HeadVerdict.NeedMore;
        }
        // Line breaks before a request are skipped, as between requests.
        var reader = new SequenceReader<byte>(buffer);
        reader.Advance(_position);
        reader.AdvancePastAny(HttpBytes.Cr, HttpBytes.Lf);
        _position = reader.Consumed;
        if (reader.End)
        {
            return isCompleted ? HeadVerdict.Pass : HeadVerdict.NeedMore;
        }
        HasStarted = true;
        // The server looks for the line's end (a line feed, or a NUL, which it refuses) within its limit only.
        var available = buffer.Length - _position;
        var end = IndexOfAny(buffer, _position, Math.Min(available, limits.MaxRequestLineBytes), HttpBytes.Lf, 0);
        if (end < 0)
        {
            if (available >= limits.MaxRequestLineBytes)
            {
                return HeadRefusals.RequestLineTooLong;
            }
            return isCompleted ? HeadRefusals.IncompleteRequestLine : HeadVerdict.NeedMore;
        }
        var line = buffer.Slice(_position, end - _position);
        if (ByteAt(buffer, end) == 0)
        {
            return FirstByte(line) == 0x16 ? HeadRefusals.TlsOnPlainHttp : HeadRefusals.MalformedRequestLine;
        }
        byte[]? rented = null;
        try
        {
            if (!RequestLine.TryRead(Flatten(line, ref rented), out var read, out var refusal))
            {
                return refusal;
            }
            _line = read;
        }
        finally
        {
            Return(rented);
        }
        _position = end + 1;
        _headersStart = _position;
        return HeadVerdict.NeedMore;
    }

    private HeadVerdict ExamineHeaders(in ReadOnlySequence<byte> buffer, bool isCompleted)
    {
        // The server reads at most its limit of header bytes, plus the blank line's two.
        var windowEnd = Math.Min(buffer.Length, _headersStart + limits.MaxHeaderBytes + 2L);
        while (true)
        {
            var lineStart = _position;
            var stop = IndexOfAny(buffer, lineStart, windowEnd - lineStart, HttpBytes.Cr, HttpBytes.Lf);
            if (stop < 0)
            {
                return Starved(buffer, windowEnd, isCompleted);
            }
            long next;
            if (ByteAt(buffer, stop) == HttpBytes.Lf)
            {
                next = stop + 1;
            }
            else if (stop + 1 >= windowEnd)
            {
                return Starved(buffer, windowEnd, isCompleted);
            }
            else if (ByteAt(buffer, stop + 1) == HttpBytes.Lf)
            {
                next = stop + 2;
            }
            else
            {
                // A carriage return inside a line.
                return HeadRefusals.MalformedHeader;
            }
            if (stop == lineStart)
            {
                _position = next;
                return Complete(_line!);
            }
            var verdict = ExamineHeader(buffer.Slice(lineStart, stop - lineStart));
            if (verdict.Outcome == HeadOutcome.Refuse)
            {
                return verdict;
            }
            _position = next;
        }
    }

    /// <summary>The next line's end has not arrived: past the server's limit, at the end of input, or still to come.</summary>
    private static HeadVerdict Starved(in ReadOnlySequence<byte> buffer, long windowEnd, bool isCompleted)
    {
        if (buffer.Length > windowEnd)
        {
            return HeadRefusals.HeadersTooLarge;
        }
        return isCompleted ? HeadRefusals.IncompleteHeaders : HeadVerdict.NeedMore;
    }

    private HeadVerdict ExamineHeader(in ReadOnlySequence<byte> slice)
    {
        byte[]? rented = null;
        try
        {
            var line = Flatten(slice, ref rented);
            if (!HeaderLine.TrySplit(line, out var nameRange, out var valueRange))
            {
                return HeadRefusals.MalformedHeader;
            }
            // Counted before the header is decoded, as the server counts.
            if (++_headerCount > limits.MaxHeaderCount)
            {
                return HeadRefusals.TooManyHeaders;
            }
            var name = line[nameRange];
            var value = line[valueRange];
            if (!HeaderLine.IsReadableName(name) || (limits.HeaderValuesAsUtf8 && !HeaderLine.IsReadableValue(value)))
            {
                return HeadRefusals.MalformedHeader;
            }
            return Note(name, value);
        }
        finally
        {
            Return(rented);
        }
    }

    /// <summary>Keeps what the end of the head is judged by; a Content-Length is judged on the spot, as the server does.</summary>
    private HeadVerdict Note(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (HeaderLine.Is(name, "Host"u8))
        {
            _hostCount++;
            _host ??= Encoding.UTF8.GetString(value);
        }
        else if (HeaderLine.Is(name, "Content-Length"u8))
        {
            if (_hasContentLength)
            {
                return HeadRefusals.MultipleContentLengths;
            }
            _hasContentLength = true;
            if (!BodyFraming.IsContentLengthReadable(value))
            {
                return HeadRefusals.InvalidContentLength;
            }
        }
        else if (HeaderLine.Is(name, "Transfer-Encoding"u8))
        {
            (_transferEncodings ??= []).Add(Encoding.UTF8.GetString(value));
        }
        else if (HeaderLine.Is(name, "Connection"u8) && Encoding.UTF8.GetString(value).Contains("upgrade", StringComparison.OrdinalIgnoreCase))
        {
            _upgrade = true;
        }
        return HeadVerdict.NeedMore;
    }

    /// <summary>The whole head has arrived: the Host header, then how the body is framed, as the server checks them.</summary>
    private HeadVerdict Complete(RequestLine line)
    {
        if (_hostCount == 0)
        {
            if (!line.IsHttp10)
            {
                return HeadRefusals.MissingHost;
            }
        }
        else if (_hostCount > 1)
        {
            return HeadRefusals.MultipleHosts;
        }
        else if (!IsHostAccepted(line, _host!))
        {
            return HeadRefusals.InvalidHost;
        }
        // An upgrade has framing rules of its own: left to the server.
        if (!_upgrade)
        {
            if (_transferEncodings is not null && !BodyFraming.IsLastCodingChunked(_transferEncodings))
            {
                return HeadRefusals.FinalCodingNotChunked;
            }
            if (_transferEncodings is null && !_hasContentLength && line.IsHttp10 && line.Method is "POST" or "PUT")
            {
                return HeadRefusals.LengthRequired;
            }
        }
        return HeadVerdict.Pass;
    }

    private bool IsHostAccepted(RequestLine line, string host)
    {
        if (line.Form == RequestTargetForm.Authority && host != line.Target)
        {
            return false;
        }
        if (line.Form == RequestTargetForm.Absolute)
        {
            // The Host must name the target's authority, with or without its default port, unless told otherwise.
            var uri = line.Absolute!;
            var withPort = $"{uri.Authority}:{uri.Port}";
            if (host != uri.Authority && !(uri.IsDefaultPort && host == withPort))
            {
                if (!limits.AllowHostHeaderOverride)
                {
                    return false;
                }
                host = withPort;
            }
        }
        return HostHeader.IsValid(host);
    }

    /// <summary>Whether the connection so far is the start of HTTP/2's preface; <paramref name="complete"/> once it is all there.</summary>
    private static bool MayBeHttp2(in ReadOnlySequence<byte> buffer, out bool complete)
    {
        var length = (int)Math.Min(buffer.Length, Http2Preface.Length);
        Span<byte> start = stackalloc byte[Http2Preface.Length];
        buffer.Slice(0, length).CopyTo(start);
        complete = length == Http2Preface.Length;
        return length > 0 && start[..length].SequenceEqual(Http2Preface[..length]);
    }

    /// <summary>The first of <paramref name="a"/> or <paramref name="b"/> within <paramref name="count"/> bytes from <paramref name="from"/>, or -1.</summary>
    private static long IndexOfAny(in ReadOnlySequence<byte> buffer, long from, long count, byte a, byte b)
    {
        var offset = from;
        foreach (var segment in buffer.Slice(from, count))
        {
            var found = segment.Span.IndexOfAny(a, b);
            if (found >= 0)
            {
                return offset + found;
            }
            offset += segment.Length;
        }
        return -1;
    }

    private static byte ByteAt(in ReadOnlySequence<byte> buffer, long position) => buffer.Slice(position, 1).FirstSpan[0];

    private static byte FirstByte(in ReadOnlySequence<byte> line) => line.IsEmpty ? (byte)0 : line.FirstSpan[0];

    /// <summary>The bytes as one span: the buffer's own when in one segment, else a rented copy.</summary>
    private static ReadOnlySpan<byte> Flatten(in ReadOnlySequence<byte> slice, ref byte[]? rented)
    {
        if (slice.IsSingleSegment)
        {
            return slice.FirstSpan;
        }
        rented = ArrayPool<byte>.Shared.Rent((int)slice.Length);
        slice.CopyTo(rented);
        return rented.AsSpan(0, (int)slice.Length);
    }

    private static void Return(byte[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
