namespace Wms.Api.Http1;

/// <summary>The byte classes of HTTP/1.1's grammar, as the HTTP server applies them.</summary>
public static class HttpBytes
{
    public const byte Cr = (byte)'\r';
    public const byte Lf = (byte)'\n';
    public const byte Space = (byte)' ';
    public const byte Tab = (byte)'\t';

    /// <summary>A token character (RFC 9110 tchar): methods and header names are made of these.</summary>
    public static bool IsToken(byte b) => IsAlphaNumeric(b) || b switch
    {
        (byte)'!' or (byte)'#' or (byte)'$' or (byte)'%' or (byte)'&' or (byte)'\'' or (byte)'*' or (byte)'+'
            or (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~' => true,
        _ => false,
    };

    /// <summary>What the server lets into an authority-form target (a host, a port, an IPv6 literal, user info).</summary>
    public static bool IsAuthority(byte b) => IsAlphaNumeric(b) || b is (byte)':' or (byte)'.' or (byte)'[' or (byte)']' or (byte)'@';

    /// <summary>What the server lets into a Host header's host name (RFC 3986's, less the few HTTP.sys refuses).</summary>
    public static bool IsHost(char c) => c < 128 && (IsAlphaNumeric((byte)c) || c is '!' or '$' or '&' or '\'' or '(' or ')' or '-' or '.' or '_' or '~');

    /// <summary>ASCII other than NUL: all the server takes in a name or a target.</summary>
    public static bool IsAsciiNotNul(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is 0 or >= 0x80)
            {
                return false;
            }
        }
        return true;
    }

    public static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static bool IsAlphaNumeric(byte b) => IsDigit(b) || (uint)((b | 0x20) - 'a') <= 'z' - 'a';
}
