using System.Buffers;
using System.Globalization;
using System.Text;
using Wms.Api.Errors;
using Wms.Api.Security;

namespace Wms.Api.Http1;

/// <summary>
/// A whole HTTP/1.1 answer refusing a request head, written straight onto the connection before any request exists:
/// the contract's error body, the reason phrase that repeats it, the API's security headers, and the connection
/// closed after it, as the server closes it after each such refusal.
/// </summary>
public static class RefusalAnswer
{
    public static byte[] Bytes(int status, string error, DateTimeOffset now)
    {
        var body = new ArrayBufferWriter<byte>(64 + error.Length);
        ApiError.WriteBody(body, status, error);
        var head = new StringBuilder(512)
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {ApiError.ReasonPhrase(error)}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Date: {now.UtcDateTime.ToString("r", CultureInfo.InvariantCulture)}\r\n")
            .Append("Content-Type: application/json\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {body.WrittenCount}\r\n")
            .Append("Connection: close\r\n")
            .Append("X-Content-Type-Options: nosniff\r\n")
            .Append("Cache-Control: no-store\r\n")
            .Append("X-Frame-Options: DENY\r\n")
            .Append("Referrer-Policy: no-referrer\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Security-Policy: {SecurityHeaders.ContentSecurityPolicy}\r\n")
            .Append("\r\n")
            .ToString();
        // Every character of the head is ASCII (the reason phrase is made so): one byte each.
        var answer = new byte[head.Length + body.WrittenCount];
        Encoding.ASCII.GetBytes(head, answer);
        body.WrittenSpan.CopyTo(answer.AsSpan(head.Length));
        return answer;
    }
}
