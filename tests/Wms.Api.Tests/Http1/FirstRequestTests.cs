using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Wms.Api.Http1;
using Wms.Api.Security;
using Wms.Api.Tests.Infrastructure;

namespace Wms.Api.Tests.Http1;

/// <summary>
/// Through raw sockets against the running service: every head the HTTP server would refuse with a bare status is
/// answered with the contract's error body, the server's status, Content-Type application/json and the connection
/// closed; every valid edge of the grammar still gets its normal answer, however slowly it arrives; and the
/// server's own timeouts still close what sends nothing or stalls.
/// </summary>
public sealed class FirstRequestTests(RunningService service) : IClassFixture<RunningService>
{
    private const string Host = "\r\nHost: 127.0.0.1\r\n\r\n";
    private const int Kib = 1024;

    public static TheoryData<string, string, int, string> Malformed() => new()
    {
        { "garbage", "GARBAGE\r\n\r\n", 400, "malformed request line" },
        { "two spaces between method and target", "GET  /v0/ HTTP/1.1" + Host, 400, "malformed request line" },
        { "a space in the target", "GET /v0/ x HTTP/1.1" + Host, 400, "malformed request line" },
        { "a NUL in the target", "GET /v0/\u0000 HTTP/1.1" + Host, 400, "malformed request line" },
        { "a byte past ASCII in the target", "GET /v0/\u00e9 HTTP/1.1" + Host, 400, "invalid request target" },
        { "an encoded NUL in the path", "GET /v0/workflows/WF-%00 HTTP/1.1" + Host, 400, "invalid request target" },
        { "no version", "GET /v0/" + Host, 400, "malformed request line" },
        { "an unknown version", "GET /v0/ HTTP/1.2" + Host, 505, "HTTP version not supported" },
        { "a version in lower case", "GET /v0/ http/1.1" + Host, 505, "HTTP version not supported" },
        { "a header without a colon", "GET /v0/ HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", 400, "malformed request header" },
        { "a space before the colon", "GET /v0/ HTTP/1.1\r\nHost : a\r\n\r\n", 400, "malformed request header" },
        { "a byte past ASCII in a name", "GET /v0/ HTTP/1.1\r\nHost: a\r\nX-\u00e9: b\r\n\r\n", 400, "malformed request header" },
        { "a folded header line", "GET /v0/ HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", 400, "malformed request header" },
        { "a header value not in UTF-8", "GET /v0/ HTTP/1.1\r\nHost: a\r\nX-A: caf\u00e9\r\n\r\n", 400, "malformed request header" },
        { "no Host", "GET /v0/ HTTP/1.1\r\n\r\n", 400, "an HTTP/1.1 request needs a Host header" },
        { "two Hosts", "GET /v0/ HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400, "more than one Host header" },
        { "a Host with a path", "GET /v0/ HTTP/1.1\r\nHost: a/b\r\n\r\n", 400, "invalid Host header" },
        { "a Content-Length of letters", "POST /v0/query/workflows HTTP/1.1\r\nHost: a\r\nContent-Length: ten\r\n\r\n", 400, "invalid Content-Length header" },
        { "two Content-Lengths", "POST /v0/query/workflows HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}", 400, "more than one Content-Length header" },
        { "a last coding other than chunked", "POST /v0/query/workflows HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 400, "the last transfer coding is not chunked" },
        { "an HTTP/1.0 POST without a length", "POST /v0/query/workflows HTTP/1.0\r\n\r\n", 400, "an HTTP/1.0 POST or PUT needs a Content-Length" },
        { "GET with the target *", "GET * HTTP/1.1" + Host, 405, "only OPTIONS may have the request target '*'" },
        { "GET with an authority as its target", "GET 127.0.0.1:80 HTTP/1.1" + Host, 405, "only CONNECT may have a bare authority as its request target" },
        { "a TLS handshake", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003", 400, "a TLS handshake sent to a plain HTTP port" },
        { "101 headers", $"GET /v0/ HTTP/1.1\r\nHost: a\r\n{string.Concat(Enumerable.Range(1, 100).Select(i => $"X-{i}: v\r\n"))}\r\n", 431, "too many request headers" },
        { "a request line past 64 KiB", $"GET /v0/{new string('w', 64 * Kib)} HTTP/1.1" + Host, 414, RequestLimits.RequestLineTooLong },
        { "headers past 1 MiB", $"GET /v0/ HTTP/1.1\r\nHost: a\r\nX-A: {new string('v', 1024 * Kib)}\r\n\r\n", 431, RequestLimits.HeadersTooLarge },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task AMalformedHeadGetsTheContractsBody(string name, string head, int status, string error)
    {
        var answer = await RawHttp.SendAsync(service.BaseAddress, RawHttp.Bytes(head));

        AssertRefusal(answer, status, error, name);
    }

    [Fact]
    public async Task ABadLineIsAnsweredAsSoonAsItIsCompleteWithoutTheRestOfTheHead()
    {
        // The client sends the bad request line, in two writes, and then waits for an answer: it gets one.
        var answer = await RawHttp.SendAsync(service.BaseAddress, [RawHttp.Bytes("GET  /v0/ HT"), RawHttp.Bytes("TP/1.1\r\n")],
            TimeSpan.FromMilliseconds(100));

        AssertRefusal(answer, 400, "malformed request line", "a bad line alone");
    }

    [Fact]
    public async Task AClientThatEndsInsideTheHeadIsAnswered()
    {
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(service.BaseAddress.Host, service.BaseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(RawHttp.Bytes("GET /v0/ HTTP/1.1\r\nHost: a\r\n"));
        client.Client.Shutdown(SocketShutdown.Send);

        var answer = await RawHttp.ReadAnswerAsync(stream, RawHttp.Quiet);

        AssertRefusal(answer, 400, "the connection ended inside the request headers", "ended inside the head");
    }

    public static TheoryData<string, string, int, string> Valid() => new()
    {
        { "a plain GET", "GET /v0/ HTTP/1.1" + Host, 200, "{}" },
        { "the absolute form", "GET http://127.0.0.1/v0/ HTTP/1.1" + Host, 200, "{}" },
        { "percent-encoding", "GET /v0/workflows/WF-%41%42 HTTP/1.1" + Host, 404, "no workflow found with id: WF-AB" },
        { "HTTP/1.0 without a Host", "GET /v0/ HTTP/1.0\r\n\r\n", 200, "{}" },
        { "a header value with obs-text in UTF-8", "GET /v0/ HTTP/1.1\r\nHost: a\r\nX-Note: caf\u00c3\u00a9 cr\u00c3\u00a8me\r\n\r\n", 200, "{}" },
        { "a control character in a header value", "GET /v0/ HTTP/1.1\r\nHost: a\r\nX-Note: a\u0001b\r\n\r\n", 200, "{}" },
        { "line feeds alone", "GET /v0/ HTTP/1.1\nHost: a\n\n", 200, "{}" },
        { "line breaks before the request", "\r\n\r\nGET /v0/ HTTP/1.1" + Host, 200, "{}" },
        { "spaces before the version", "GET /v0/   HTTP/1.1" + Host, 200, "{}" },
        { "an empty Host", "GET /v0/ HTTP/1.1\r\nHost:\r\n\r\n", 200, "{}" },
        { "a Host with a port", "GET /v0/ HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", 200, "{}" },
        { "a Content-Length with a plus", "POST /v0/query/workflows HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: +13\r\n\r\n{\"query\": {}}", 200, "{\"workflows\":[]}" },
        { "a chunked body", "POST /v0/query/workflows HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nd\r\n{\"query\": {}}\r\n0\r\n\r\n", 200, "{\"workflows\":[]}" },
        { "the asterisk form", "OPTIONS * HTTP/1.1" + Host, 404, "not found" },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public async Task AValidEdgeOfTheGrammarGetsItsNormalAnswer(string name, string head, int status, string body)
    {
        var answer = await RawHttp.SendAsync(service.BaseAddress, RawHttp.Bytes(head));

        Assert.True(answer.Status == status, $"{name}: {answer}");
        Assert.Contains(body, answer.Body, StringComparison.Ordinal);
        // The service's own answer: the connection stays open for the next request (but for HTTP/1.0's).
        Assert.True(answer.Headers.ContainsKey("connection") == head.Contains("HTTP/1.0", StringComparison.Ordinal), $"{name}: {answer}");
    }

    [Fact]
    public async Task ARequestArrivingInManySmallWritesGetsItsNormalAnswer()
    {
        var pieces = new[] { "GET /v0/ HT", "TP/1.1\r", "\nHo", "st: 127.0", ".0.1\r\nX-No", "te: slow\r\n", "\r", "\n" };

        var answer = await RawHttp.SendAsync(service.BaseAddress, [.. pieces.Select(RawHttp.Bytes)], TimeSpan.FromMilliseconds(150));

        Assert.True(answer.Status == 200, answer.ToString());
        Assert.Equal("{}", answer.Body);
    }

    [Fact]
    public async Task HttpTwoPriorKnowledgeReachesTheServerUntouched()
    {
        // The API's listener speaks HTTP/1.1 and HTTP/2: without TLS to choose, the server answers the preface itself,
        // with a GOAWAY asking for HTTP/1.1, not an HTTP/1.1 refusal of "PRI * HTTP/2.0".
        var frame = await Http2FirstFrameAsync(service.BaseAddress);

        Assert.Equal(7, frame[3]);
        Assert.Equal(13, frame[^1]);
    }

    [Fact]
    public async Task AListenerForHttpTwoAloneSpeaksItWithPriorKnowledge()
    {
        await using var server = await WmsServer.StartAsync(settings => settings["Kestrel:EndpointDefaults:Protocols"] = "Http2");

        var frame = await Http2FirstFrameAsync(server.BaseAddress);

        // The server's own SETTINGS.
        Assert.Equal(4, frame[3]);
    }

    /// <summary>Sends HTTP/2's preface and an empty SETTINGS frame, in two writes; returns the first frame that comes back.</summary>
    private static async Task<byte[]> Http2FirstFrameAsync(Uri server)
    {
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(RawHttp.Bytes("PRI * HTTP/2.0\r\n\r\n"));
        await stream.WriteAsync(RawHttp.Bytes("SM\r\n\r\n\u0000\u0000\u0000\u0004\u0000\u0000\u0000\u0000\u0000"));
        using var timeout = new CancellationTokenSource(RawHttp.Quiet);
        var header = new byte[9];
        await stream.ReadExactlyAsync(header, timeout.Token);
        var payload = new byte[(header[0] << 16) | (header[1] << 8) | header[2]];
        await stream.ReadExactlyAsync(payload, timeout.Token);
        return [.. header, .. payload];
    }

    [Fact]
    public async Task LaterRequestsOnAKeptAliveConnectionAreTheServersAlone()
    {
        var answers = await RawHttp.SendInTurnAsync(service.BaseAddress,
            RawHttp.Bytes("GET /v0/ HTTP/1.1" + Host), RawHttp.Bytes("GARBAGE\r\n\r\n"));

        Assert.Equal(200, answers[0].Status);
        // The server's own refusal, as Docs/operations.md says: no body.
        Assert.Equal(400, answers[1].Status);
        Assert.Equal("0", answers[1].Headers["content-length"]);
    }

    [Fact]
    public async Task TheServersOwnTimeoutsStillCloseWhatSendsNothingOrStalls()
    {
        var timeout = TimeSpan.FromSeconds(2);
        await using var server = await WmsServer.StartAsync(StorageMode.Memory, customize: builder => builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.KeepAliveTimeout = timeout;
            k.Limits.RequestHeadersTimeout = timeout;
        }));

        // Nothing at all: the server's keep-alive timeout closes the connection without a word, as before.
        var silent = Stopwatch.StartNew();
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
            var nothing = await RawHttp.ReadAnswerAsync(client.GetStream(), TimeSpan.FromSeconds(60));
            Assert.True(nothing.IsEmpty && nothing.Closed, nothing.ToString());
        }
        Assert.True(silent.Elapsed >= timeout - TimeSpan.FromMilliseconds(100), $"closed after {silent.Elapsed}");

        // A head that stalls: answered 408 once the header timeout has passed since it began.
        var stalled = Stopwatch.StartNew();
        var answer = await RawHttp.SendAsync(server.BaseAddress, RawHttp.Bytes("GET /v0/ HTTP/1.1\r\nHost: a\r\n"), TimeSpan.FromSeconds(60));
        AssertRefusal(answer, 408, HeadRefusals.HeadersTimedOut.Error, "a stalled head");
        Assert.True(stalled.Elapsed >= timeout - TimeSpan.FromMilliseconds(100), $"answered after {stalled.Elapsed}");
    }

    private static void AssertRefusal(RawAnswer answer, int status, string error, string name)
    {
        Assert.True(answer.Status == status, $"{name}: {answer}");
        Assert.Equal(error, answer.Reason);
        Assert.Equal("application/json", answer.Headers["content-type"]);
        Assert.Equal("close", answer.Headers["connection"]);
        Assert.Equal("nosniff", answer.Headers["x-content-type-options"]);
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, answer.Headers["content-security-policy"]);
        var body = JsonNode.Parse(answer.Body)!.AsObject();
        Assert.Equal(2, body.Count);
        Assert.Equal(status, body["code"]!.GetValue<int>());
        Assert.Equal(error, body["error"]!.GetValue<string>());
        Assert.True(answer.Closed, $"{name}: the connection stayed open");
    }
}
