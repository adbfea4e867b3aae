using System.Text.Json;

namespace Wms.Grains.Mqs;

/// <summary>
/// Says in plain words what went wrong in a call to the MQS or its token endpoint. The exceptions' own messages
/// are not passed on: they name .NET types and settings and may quote what the other side answered, and these
/// texts reach clients' error answers and the logs.
/// </summary>
internal static class MqsFailure
{
    public static string Describe(Exception e) => e switch
    {
        OperationCanceledException => "timed out",
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "refused the connection or could not be reached",
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "has a host name that does not resolve",
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => "failed the TLS handshake",
        HttpRequestException => "broke off the exchange",
        JsonException => "answered something that is not JSON",
        _ => "answered something that could not be read",
    };
}
