using Microsoft.AspNetCore.Http;
using Wms.Api.Security;

namespace Wms.Api.Tests.Http1;

/// <summary>
/// Request heads at the edges of HTTP/1.1's grammar, each with what the HTTP server (with the service's limits) does
/// with it, found by sending it: the judge must do the same.
/// </summary>
public static class HeadCorpus
{
    private const string Ok = " HTTP/1.1\r\nHost: a\r\n\r\n";

    private static readonly ServerOutcome Passed = ServerOutcome.Passed;
    private static readonly ServerOutcome Waiting = ServerOutcome.Waiting;
    private static readonly ServerOutcome Bad = ServerOutcome.Refused(StatusCodes.Status400BadRequest);
    private static readonly ServerOutcome NotAllowed = ServerOutcome.Refused(StatusCodes.Status405MethodNotAllowed);
    private static readonly ServerOutcome Version = ServerOutcome.Refused(StatusCodes.Status505HttpVersionNotsupported);
    private static readonly ServerOutcome LineTooLong = ServerOutcome.Refused(StatusCodes.Status414UriTooLong);
    private static readonly ServerOutcome HeadersTooLarge = ServerOutcome.Refused(StatusCodes.Status431RequestHeaderFieldsTooLarge);

    public static IReadOnlyList<HeadCase> Cases { get; } = Build();

    private static List<HeadCase> Build()
    {
        var cases = new List<HeadCase>();
        void Add(string name, string text, ServerOutcome expected) => cases.Add(new HeadCase(name, text, expected));
        void Header(string name, string header, ServerOutcome expected) =>
            Add(name, $"GET /a HTTP/1.1\r\nHost: a\r\n{header}\r\n\r\n", expected);

        // Request lines.
        Add("plain", "GET /" + Ok, Passed);
        Add("bare line feeds", "GET / HTTP/1.1\nHost: a\n\n", Passed);
        Add("line breaks before the request", "\r\n\r\nGET /" + Ok, Passed);
        Add("garbage", "GARBAGE\r\n\r\n", Bad);
        Add("two spaces after the method", "GET  /x" + Ok, Bad);
        Add("two spaces before the version", "GET /x  HTTP/1.1\r\nHost: a\r\n\r\n", Passed);
        Add("a space in the target", "GET /a b" + Ok, Bad);
        Add("a tab after the method", "GET\t/a" + Ok, Bad);
        Add("a tab before the version", "GET /a\tHTTP/1.1\r\nHost: a\r\n\r\n", Bad);
        Add("a space before the method", " GET /a" + Ok, Bad);
        Add("a lower-case method", "get /a" + Ok, Passed);
        Add("an unknown method", "FOO /a" + Ok, Passed);
        Add("a method with a bracket", "FO(O /a" + Ok, Bad);
        Add("no target", "GET " + Ok, Bad);
        Add("no version", "GET /a\r\nHost: a\r\n\r\n", Bad);
        Add("no version after a space", "GET /a \r\nHost: a\r\n\r\n", Bad);
        Add("version 1.2", "GET /a HTTP/1.2\r\nHost: a\r\n\r\n", Version);
        Add("version 2.0", "GET /a HTTP/2.0\r\nHost: a\r\n\r\n", Version);
        Add("version in lower case", "GET /a http/1.1\r\nHost: a\r\n\r\n", Version);
        Add("version of nine bytes", "GET /a HTTP/1.10\r\nHost: a\r\n\r\n", Bad);
        Add("version of seven bytes and CR", "GET / HTTP/1.\r\n\r\n", Version);
        Add("a space after the version", "GET /a HTTP/1.1 \r\nHost: a\r\n\r\n", Bad);
        Add("a CR inside the line ending", "GET / HTTP/1.1\r\r\nHost: a\r\n\r\n", Bad);
        Add("a stray CR after the version", "GET /a HTTP/1.1\rX\r\nHost: a\r\n\r\n", Bad);
        Add("a NUL in the target", "GET /a\u0000" + Ok, Bad);
        Add("a control character in the target", "GET /a\u0001b" + Ok, Passed);
        Add("a tab in the target", "GET /a\tb" + Ok, Passed);
        Add("DEL in the target", "GET /a\u007fb" + Ok, Passed);
        Add("a CR in the target", "GET /a\rb" + Ok, Passed);
        Add("a non-ASCII byte in the path", "GET /a\u00e9b" + Ok, Bad);
        Add("a non-ASCII byte in the query", "GET /a?x=\u00e9" + Ok, Bad);
        Add("a control character in the query", "GET /a?x=\u0001" + Ok, Passed);
        Add("an encoded NUL in the path", "GET /a%00b" + Ok, Bad);
        Add("an encoded NUL after a broken sequence", "GET /a%C3%00" + Ok, Bad);
        Add("an encoded NUL after a lone percent", "GET /a%%00" + Ok, Bad);
        Add("an encoded percent before two zeros", "GET /a%2500" + Ok, Passed);
        Add("an encoded NUL in the query", "GET /a?%00" + Ok, Passed);
        Add("a broken percent escape", "GET /a%zzb" + Ok, Passed);
        Add("a short percent escape", "GET /a%0" + Ok, Passed);
        Add("encoded invalid UTF-8", "GET /a%C3%28" + Ok, Passed);
        Add("an overlong encoded NUL", "GET /a%C0%80" + Ok, Passed);
        Add("a target starting with a query", "GET ?x" + Ok, Bad);
        Add("a target starting with a percent", "GET %2F" + Ok, Bad);
        Add("a TLS handshake", "\u0016\u0003\u0001\u0000\u0005hello\r\n\r\n", Bad);

        // Target forms.
        Add("absolute form", "GET http://a/x?y=1" + Ok, Passed);
        Add("absolute form, https with its port", "GET https://a:443/x" + Ok, Passed);
        Add("absolute form without a path", "GET http://a" + Ok, Passed);
        Add("absolute form with user info", "GET http://u@a/x" + Ok, Passed);
        Add("absolute form, the Host with the default port", "GET http://a/x HTTP/1.1\r\nHost: a:80\r\n\r\n", Passed);
        Add("absolute form, the target with the default port", "GET http://a:80/x" + Ok, Passed);
        Add("absolute form naming another host", "GET http://b/x" + Ok, Bad);
        Add("absolute form naming another port", "GET http://a:81/x" + Ok, Bad);
        Add("absolute form that is no URI", "GET http://[::1/x" + Ok, Bad);
        Add("absolute form, scheme only", "GET http://" + Ok, Bad);
        Add("absolute form, upper-case scheme", "GET HTTP://a/x" + Ok, Bad);
        Add("absolute form, another scheme", "GET ftp://a/x" + Ok, Bad);
        Add("absolute form over HTTP/1.0 without a Host", "GET http://a/x HTTP/1.0\r\n\r\n", Passed);
        Add("absolute form with a control character", "GET http://a/\u0001" + Ok, Passed);
        Add("asterisk form", "OPTIONS *" + Ok, Passed);
        Add("asterisk form over HTTP/1.0", "OPTIONS * HTTP/1.0\r\n\r\n", Passed);
        Add("asterisk form with GET", "GET *" + Ok, NotAllowed);
        Add("asterisk form with lower-case options", "options *" + Ok, NotAllowed);
        Add("asterisk with a query", "OPTIONS *?x" + Ok, Bad);
        Add("authority form", "CONNECT a:80 HTTP/1.1\r\nHost: a:80\r\n\r\n", Passed);
        Add("authority form naming another host", "CONNECT a:80 HTTP/1.1\r\nHost: b\r\n\r\n", Bad);
        Add("authority form with GET", "GET a:80" + Ok, NotAllowed);
        Add("CONNECT to a path", "CONNECT /a" + Ok, Passed);

        // Header lines.
        Header("an ordinary header", "X-A: b", Passed);
        Header("no space after the colon", "X-A:b", Passed);
        Header("an empty value", "X-A:", Passed);
        Header("a one-letter name, empty", "X:", Passed);
        Header("no colon", "NoColon", Bad);
        Header("a space before the colon", "X-A : b", Bad);
        Header("a tab before the colon", "X-A\t: b", Bad);
        Header("an empty name", ": b", Bad);
        Header("a leading space (folding)", " X-A: b", Bad);
        Add("a folded continuation", "GET /a HTTP/1.1\r\nHost: a\r\nX-A: b\r\n  folded\r\n\r\n", Bad);
        Header("a bracket in the name", "X(A): b", Passed);
        Header("a control character in the name", "X\u0001A: b", Passed);
        Header("a non-ASCII byte in the name", "X\u00e9A: b", Bad);
        Header("a NUL in the name", "X\u0000A: b", Bad);
        Header("a control character in the value", "X-A: b\u0001c", Passed);
        Header("DEL in the value", "X-A: b\u007fc", Passed);
        Header("a tab in the value", "X-A: b\tc", Passed);
        Header("a NUL in the value", "X-A: b\u0000c", Bad);
        Header("a CR in the value", "X-A: b\rc", Bad);
        Header("UTF-8 in the value (obs-text)", "X-A: caf\u00c3\u00a9", Passed);
        Header("a four-byte character in the value", "X-A: \u00f0\u009f\u0098\u0080", Passed);
        Header("Latin-1 in the value", "X-A: caf\u00e9", Bad);
        Header("UTF-8 and a NUL in the value", "X-A: caf\u00c3\u00a9\u0000", Bad);
        Header("an encoded surrogate in the value", "X-A: \u00ed\u00a0\u0080", Bad);
        Header("an overlong slash in the value", "X-A: \u00c0\u00af", Bad);
        Add("a CR before the blank line", "GET /a HTTP/1.1\r\nHost: a\r\n\rX\r\n\r\n", Bad);
        Add("a CR alone on the last line", "GET /a HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\r\r\n", Bad);

        // Host.
        Add("no Host over HTTP/1.1", "GET /a HTTP/1.1\r\n\r\n", Bad);
        Add("no Host over HTTP/1.0", "GET /a HTTP/1.0\r\n\r\n", Passed);
        Add("no Host, bare line feeds", "GET / HTTP/1.1\n\r\n", Bad);
        Add("two Hosts", "GET /a HTTP/1.1\r\nHost: a\r\nhOST: a\r\n\r\n", Bad);
        Add("host in lower case", "GET /a HTTP/1.1\r\nhost: a\r\n\r\n", Passed);
        Add("an empty Host", "GET /a HTTP/1.1\r\nHost: \r\n\r\n", Passed);
        Add("a Host of spaces", "GET /a HTTP/1.1\r\nHost:   \r\n\r\n", Passed);
        foreach (var (host, expected) in new (string, ServerOutcome)[]
                 {
                     ("a b", Bad), ("a/b", Bad), (":80", Bad), ("a:", Bad), ("a:x", Bad), ("a:99999", Passed),
                     ("[::1]", Passed), ("[::1]:80", Passed), ("[::]", Bad), ("[::1]x", Bad), ("[zz]", Bad),
                     ("a_b.c~!$&'()", Passed), ("a*b", Bad), ("caf\u00c3\u00a9", Bad), ("127.0.0.1:8080", Passed),
                 })
        {
            Add($"Host {host}", $"GET /a HTTP/1.1\r\nHost: {host}\r\n\r\n", expected);
        }

        // Body framing.
        Header("Content-Length with a plus", "Content-Length: +5", Passed);
        Header("Content-Length with a leading zero", "Content-Length: 05", Passed);
        Header("Content-Length with spaces around", "Content-Length:  5 ", Passed);
        Header("Content-Length of letters", "Content-Length: x", Bad);
        Header("Content-Length below zero", "Content-Length: -1", Bad);
        Header("Content-Length empty", "Content-Length: ", Bad);
        Header("Content-Length past 2^63", "Content-Length: 9223372036854775808", Bad);
        Header("Content-Length listed twice in one", "Content-Length: 5, 5", Bad);
        Add("two Content-Lengths", "GET /a HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\ncontent-length: 0\r\n\r\n", Bad);
        Header("Transfer-Encoding gzip", "Transfer-Encoding: gzip", Bad);
        Header("Transfer-Encoding identity", "Transfer-Encoding: identity", Bad);
        Header("Transfer-Encoding empty", "Transfer-Encoding: ", Bad);
        Header("Transfer-Encoding chunked, gzip", "Transfer-Encoding: chunked, gzip", Bad);
        Add("Transfer-Encoding gzip over HTTP/1.0", "GET /a HTTP/1.0\r\nTransfer-Encoding: gzip\r\n\r\n", Bad);
        Add("Transfer-Encoding CHUNKED", "POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: CHUNKED\r\n\r\n0\r\n\r\n", Passed);
        Add("Transfer-Encoding gzip, chunked", "POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", Passed);
        Add("chunked beside a Content-Length", "POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n", Passed);
        Add("a POST over HTTP/1.0 without a length", "POST /a HTTP/1.0\r\n\r\n", Bad);
        Add("a PUT over HTTP/1.0 without a length", "PUT /a HTTP/1.0\r\n\r\n", Bad);
        Add("a PATCH over HTTP/1.0 without a length", "PATCH /a HTTP/1.0\r\n\r\n", Passed);
        Add("a lower-case post over HTTP/1.0", "post /a HTTP/1.0\r\n\r\n", Passed);
        Add("a POST over HTTP/1.0 with a length", "POST /a HTTP/1.0\r\nContent-Length: 0\r\n\r\n", Passed);
        Add("a POST over HTTP/1.0 asking for an upgrade", "POST /a HTTP/1.0\r\nConnection: Upgrade\r\nUpgrade: x\r\n\r\n", Passed);
        Header("Transfer-Encoding chunked with a parameter", "Transfer-Encoding: chunked;q=1", Bad);
        Header("Transfer-Encoding with a tab", "Transfer-Encoding: gzip,\tchunked", Bad);
        Header("Transfer-Encoding of empty items", "Transfer-Encoding: , ,", Bad);
        Add("Transfer-Encoding in two headers", "POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", Passed);
        Add("Transfer-Encoding in two headers, chunked first", "POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n", Bad);
        Header("Content-Length of minus zero", "Content-Length: -0", Passed);
        // The quirks of the server's request-line reading: a target with nothing after it is its first byte alone.
        Add("a target run into the version", "PUT /xHTTP/1.1\r\nHost: a\r\n\r\n", Passed);
        Add("an asterisk run into the version", "OPTIONS *HTTP/1.1\r\nHost: a\r\n\r\n", Version);
        Add("a percent run into the version", "GET /a%TTP/1.1\r\nHost: a\r\n\r\n", Version);

        // Incomplete heads: the server waits.
        Add("a request line not ended", "GET /a HTTP/1.1", Waiting);
        Add("headers not ended", "GET /a HTTP/1.1\r\nHost: a\r\n", Waiting);
        Add("a last line ended by CR alone so far", "GET /a HTTP/1.1\r\nHost: a\r\n\r", Waiting);
        Add("line breaks only", "\r\n", Waiting);
        Add("garbage not ended", "\r\nGARBAGE", Waiting);
        Add("a bad request line, headers not ended", "GET  /x HTTP/1.1\r\nHost: a\r\n", Bad);

        // Limits.
        var line = RequestLimits.ServerRequestLineBytes;
        Add("a request line at the limit", $"GET /{new string('a', line - 16)} HTTP/1.1\r\nHost: a\r\n\r\n", Passed);
        Add("a request line past the limit", $"GET /{new string('a', line - 15)} HTTP/1.1\r\nHost: a\r\n\r\n", LineTooLong);
        Add("a request line past the limit, not ended", $"GET /{new string('a', line)}", LineTooLong);
        var headers = RequestLimits.ServerHeaderBytes;
        // "Host: a\r\n" (9 bytes), "X: " and CR LF around the filler, and the blank line: the limit plus two in all.
        Add("headers at the limit", $"GET / HTTP/1.1\r\nHost: a\r\nX: {new string('v', headers - 14)}\r\n\r\n", Passed);
        Add("headers past the limit", $"GET / HTTP/1.1\r\nHost: a\r\nX: {new string('v', headers - 13)}\r\n\r\n", HeadersTooLarge);
        Add("headers past the limit, not ended", $"GET / HTTP/1.1\r\nHost: a\r\nX: {new string('v', headers)}", HeadersTooLarge);
        Add("100 headers", $"GET / HTTP/1.1\r\nHost: a\r\n{string.Concat(Enumerable.Range(1, 99).Select(i => $"X-{i}: v\r\n"))}\r\n", Passed);
        Add("101 headers", $"GET / HTTP/1.1\r\nHost: a\r\n{string.Concat(Enumerable.Range(1, 100).Select(i => $"X-{i}: v\r\n"))}\r\n", HeadersTooLarge);
        return cases;
    }
}
