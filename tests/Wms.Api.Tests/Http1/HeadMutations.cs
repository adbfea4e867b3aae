namespace Wms.Api.Tests.Http1;

/// <summary>Valid request heads with a byte or two changed, inserted or dropped, where the grammar is most sensitive.</summary>
public static class HeadMutations
{
    private static readonly string[] Valid =
    [
        "GET /v0/workflows?x=1 HTTP/1.1\r\nHost: a:8080\r\nAccept: */*\r\nX-Note: caf\u00c3\u00a9\r\n\r\n",
        "POST /v0/query/taskforces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nContent-Type: application/json\r\n\r\n",
        "GET /a%20b HTTP/1.0\r\nUser-Agent: x\r\n\r\n",
        "GET http://a/x HTTP/1.1\r\nHost: a\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: [::1]:80\r\n\r\n",
        "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n",
        "PUT /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\nConnection: keep-alive\r\n\r\n",
    ];

    private static readonly byte[] Sensitive =
        [.. " \t\r\n\0:%?*/@[],;+-0A"u8, 0x7f, 0x80, 0xa9, 0xc3, 0xff, 0x16];

    public static byte[] Next(Random random)
    {
        var head = RawHttp.Bytes(Valid[random.Next(Valid.Length)]).ToList();
        for (var changes = random.Next(1, 3); changes > 0; changes--)
        {
            var at = random.Next(head.Count);
            var b = Sensitive[random.Next(Sensitive.Length)];
            switch (random.Next(3))
            {
                case 0:
                    head[at] = b;
                    break;
                case 1:
                    head.Insert(at, b);
                    break;
                default:
                    head.RemoveAt(at);
                    break;
            }
        }
        return [.. head];
    }
}
