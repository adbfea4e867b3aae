using System.Text;

namespace Wms.Api.Http1;

/// <summary>
/// A request line read by the HTTP server's grammar: a token method, one space, a target up to the next space, any
/// spaces, an eight-byte version and CR LF (or a bare LF). A malformed line is a 400, an unknown version a 505, a
/// target the server cannot take a 400, and a target form its method may not use a 405, in that order.
/// </summary>
public sealed class RequestLine
{
    private static ReadOnlySpan<byte> Http11 => "HTTP/1.1"u8;
    private static ReadOnlySpan<byte> Http10 => "HTTP/1.0"u8;
    private static ReadOnlySpan<byte> HttpScheme => "http://"u8;
    private static ReadOnlySpan<byte> HttpsScheme => "https://"u8;
    private static ReadOnlySpan<byte> EncodedNul => "%00"u8;

    /// <summary>The first byte of a TLS handshake record: a client speaking TLS to this plain port.</summary>
    private const byte TlsHandshake = 0x16;

    private RequestLine(string method, string target, RequestTargetForm form, Uri? absolute, bool isHttp10)
    {
        Method = method;
        Target = target;
        Form = form;
        Absolute = absolute;
        IsHttp10 = isHttp10;
    }

    public string Method { get; }

    /// <summary>The target as sent (ASCII).</summary>
    public string Target { get; }

    public RequestTargetForm Form { get; }

    /// <summary>The target as a URI, for the absolute form.</summary>
    public Uri? Absolute { get; }

    public bool IsHttp10 { get; }

    /// <summary>
    /// Reads <paramref name="line"/> (without its line feed; a carriage return before it is part of it); false with
    /// the refusal when the server would refuse it.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> line, out RequestLine? read, out HeadVerdict refusal)
    {
        read = null;
        refusal = line.Length > 0 && line[0] == TlsHandshake ? HeadRefusals.TlsOnPlainHttp : HeadRefusals.MalformedRequestLine;
        var methodEnd = MethodLength(line);
        if (methodEnd <= 0 || line[methodEnd] != HttpBytes.Space)
        {
            return false;
        }
        var targetStart = methodEnd + 1;
        if (targetStart >= line.Length || line[targetStart] is HttpBytes.Space or (byte)'?' or (byte)'%')
        {
            return false;
        }
        var targetEnd = TargetEnd(line, targetStart);
        if (targetEnd == targetStart)
        {
            return false;
        }
        var versionStart = targetEnd + 1;
        while (versionStart < line.Length && line[versionStart] == HttpBytes.Space)
        {
            versionStart++;
        }
        var withCr = versionStart + 9 == line.Length && line[versionStart + 8] == HttpBytes.Cr;
        if (!withCr && versionStart + 8 != line.Length)
        {
            return false;
        }
        var version = line.Slice(versionStart, 8);
        var isHttp10 = version.SequenceEqual(Http10);
        if (!isHttp10 && !version.SequenceEqual(Http11))
        {
            refusal = HeadRefusals.UnsupportedVersion;
            return false;
        }
        var method = Encoding.ASCII.GetString(line[..methodEnd]);
        var target = line[targetStart..targetEnd];
        return TryReadTarget(method, target, isHttp10, out read, out refusal);
    }

    /// <summary>
    /// Where the target ends, found as the server finds it: the path runs to a space or a '?', and a query from
    /// there to a space. When neither a space nor a '?' (nor a '%') follows the target's first byte, the server takes
    /// that byte alone as the target, and when a '%' is followed by neither, it ends the target just before the
    /// '%'; the version is then looked for in what follows, where it is almost never found.
    /// </summary>
    private static int TargetEnd(ReadOnlySpan<byte> line, int targetStart)
    {
        var end = targetStart + 1;
        var last = line[targetStart];
        var found = line[end..].IndexOfAny(HttpBytes.Space, (byte)'?', (byte)'%');
        if (found >= 0)
        {
            if (line[end + found] == (byte)'%')
            {
                end += found;
                found = line[end..].IndexOfAny(HttpBytes.Space, (byte)'?');
            }
            end += found;
            last = line[end];
        }
        if (last == (byte)'?')
        {
            var space = line[end..].IndexOf(HttpBytes.Space);
            end = space < 0 ? line.Length : end + space;
        }
        return end;
    }

    /// <summary>Where the method's tokens end, or -1 when the whole line is tokens.</summary>
    private static int MethodLength(ReadOnlySpan<byte> line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (!HttpBytes.IsToken(line[i]))
            {
                return i;
            }
        }
        return -1;
    }

    private static bool TryReadTarget(string method, ReadOnlySpan<byte> target, bool isHttp10, out RequestLine? read, out HeadVerdict refusal)
    {
        read = null;
        refusal = HeadRefusals.InvalidTarget;
        RequestTargetForm form;
        Uri? absolute = null;
        if (target[0] == (byte)'/')
        {
            // Taken as ASCII, and the path percent-decoded, where an encoded NUL is refused.
            var query = target.IndexOf((byte)'?');
            var path = query < 0 ? target : target[..query];
            if (!HttpBytes.IsAsciiNotNul(target) || path.IndexOf(EncodedNul) >= 0)
            {
                return false;
            }
            form = RequestTargetForm.Origin;
        }
        else if (target is [(byte)'*'])
        {
            if (method != "OPTIONS")
            {
                refusal = HeadRefusals.AsteriskNeedsOptions;
                return false;
            }
            form = RequestTargetForm.Asterisk;
        }
        else if (target.Length >= 8 && (target.StartsWith(HttpScheme) || target.StartsWith(HttpsScheme)))
        {
            if (!HttpBytes.IsAsciiNotNul(target) || !Uri.TryCreate(Encoding.ASCII.GetString(target), UriKind.Absolute, out absolute))
            {
                return false;
            }
            form = RequestTargetForm.Absolute;
        }
        else
        {
            foreach (var b in target)
            {
                if (!HttpBytes.IsAuthority(b))
                {
                    return false;
                }
            }
            if (method != "CONNECT")
            {
                refusal = HeadRefusals.AuthorityNeedsConnect;
                return false;
            }
            form = RequestTargetForm.Authority;
        }
        read = new RequestLine(method, Encoding.ASCII.GetString(target), form, absolute, isHttp10);
        refusal = default;
        return true;
    }
}
