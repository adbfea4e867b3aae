namespace Wms.Api.Http1;

/// <summary>
/// The Host header as the HTTP server takes it: empty, a host name of the allowed characters, or an IPv6 literal in
/// brackets, either with an optional ":port" of at least one digit.
/// </summary>
public static class HostHeader
{
    public static bool IsValid(string host)
    {
        if (host.Length == 0)
        {
            return true;
        }
        if (host[0] == '[')
        {
            return IsIpv6Valid(host);
        }
        if (host[0] == ':')
        {
            return false;
        }
        for (var i = 0; i < host.Length; i++)
        {
            if (!HttpBytes.IsHost(host[i]))
            {
                return IsPortValid(host, i);
            }
        }
        return true;
    }

    private static bool IsIpv6Valid(string host)
    {
        for (var i = 1; i < host.Length; i++)
        {
            var c = host[i];
            if (c == ']')
            {
                // "[::1]" is the shortest literal the server takes.
                return i >= 4 && (i + 1 == host.Length || IsPortValid(host, i + 1));
            }
            if (!char.IsAsciiHexDigit(c) && c is not ':' and not '.')
            {
                return false;
            }
        }
        return false;
    }

    private static bool IsPortValid(string host, int colon)
    {
        if (host[colon] != ':' || colon + 1 == host.Length)
        {
            return false;
        }
        for (var i = colon + 1; i < host.Length; i++)
        {
            if (!char.IsAsciiDigit(host[i]))
            {
                return false;
            }
        }
        return true;
    }
}
