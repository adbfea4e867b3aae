using Microsoft.AspNetCore.Http;
using Wms.Api.Security;

namespace Wms.Api.Http1;

/// <summary>
/// Every refusal of a request head, with the status the HTTP server itself gives it and the contract's error text
/// (which is also the reason phrase).
/// </summary>
public static class HeadRefusals
{
    public static HeadVerdict MalformedRequestLine { get; } =
        HeadVerdict.Refuse(StatusCodes.Status400BadRequest, "malformed request line");

    public static HeadVerdict TlsOnPlainHttp { get; } =
        HeadVerdict.Refuse(StatusCodes.Status400BadRequest, "a TLS handshake sent to a plain HTTP port");

    public static HeadVerdict IncompleteRequestLine { get; } =
        HeadVerdict.Refuse(StatusCodes.Status400BadRequest, "the connection ended inside the request line");

    public static HeadVerdict UnsupportedVersion { get; } =
        HeadVerdict.Refuse(StatusCodes.Status505HttpVersionNotsupported, "HTTP version not supported");

    public static HeadVerdict InvalidTarget { get; } =
        HeadVerdict.Refuse(StatusCodes.Status400BadRequest, "invalid request target");

    public static HeadVerdict AsteriskNeedsOptions { get; } =
        HeadVerdict.Refuse(StatusCodes.Status405MethodNotAllowed, "only OPTIONS may have the request target '*'");

    public static HeadVerdict AuthorityNeedsConnect { get; } =
        HeadVerdict.Refuse(StatusCodes.Status405MethodNotAllowed, "only CONNECT may have a bare authority as its request target");

    public static HeadVerdict RequestLineTooLong { get; } =
        HeadVerdict.Refuse(StatusCodes.Status414UriTooLong, RequestLimits.RequestLineTooLong);

    public static HeadVerdict MalformedHeader { get; } =
        HeadVerdict.Refuse(StatusCodes.Status400BadRequest, "malformed request header");

    public static HeadVerdict IncompleteHeaders { get; } =
        HeadVerdict.Refuse(StatusCodes.Status400BadRequest, "the connection ended inside the request headers");

    public static HeadVerdict TooManyHeaders { get; } =
        HeadVerdict.Refuse(StatusCodes.Status431RequestHeaderFieldsTooLarge, "too many request headers");

    public static HeadVerdict HeadersTooLarge { get; } =
        HeadVerdict.Refuse(StatusCodes.Status431RequestHeaderFieldsTooLarge, RequestLimits.HeadersTooLarge);

    public static HeadVerdict HeadersTimedOut { get; } =
        HeadVerdict.Refuse(StatusCodes.Status408RequestTimeout, "the request headers arrived too slowly");

    public static HeadVerdict MissingHost { get; } =
        HeadVerdict.Refuse(StatusCodes.Status400BadRequest, "an HTTP/1.1 request needs a Host header");

    public static HeadVerdict MultipleHosts { get; } =
        HeadVerdict.Refuse(StatusCodes.Status400BadRequest, "more than one Host header");

    public static HeadVerdict InvalidHost { get; } =
        HeadVerdict.Refuse(StatusCodes.Status400BadRequest, "invalid Host header");

    public static HeadVerdict InvalidContentLength { get; } =
        HeadVerdict.Refuse(StatusCodes.Status400BadRequest, "invalid Content-Length header");

    public static HeadVerdict MultipleContentLengths { get; } =
        HeadVerdict.Refuse(StatusCodes.Status400BadRequest, "more than one Content-Length header");

    public static HeadVerdict FinalCodingNotChunked { get; } =
        HeadVerdict.Refuse(StatusCodes.Status400BadRequest, "the last transfer coding is not chunked");

    public static HeadVerdict LengthRequired { get; } =
        HeadVerdict.Refuse(StatusCodes.Status400BadRequest, "an HTTP/1.0 POST or PUT needs a Content-Length");
}
