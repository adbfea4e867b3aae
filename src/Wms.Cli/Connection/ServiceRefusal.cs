using System.Net;
using System.Text.Json;

namespace Wms.Cli.Connection;

/// <summary>
/// Turns an error answer into the one line the user reads and the exit status a script tests. The service says
/// what went wrong in <c>{"code", "error"}</c> (and its reason phrase); that text is kept word for word.
/// </summary>
public static class ServiceRefusal
{
    public static CommandFailedException Of(HttpStatusCode status, byte[] body, string? reasonPhrase)
    {
        var code = (int)status;
        var text = ErrorText(body) ?? reasonPhrase ?? status.ToString();
        return status switch
        {
            HttpStatusCode.BadRequest => new CommandFailedException(ExitCodes.Usage, $"the service refused the request: {text}"),
            HttpStatusCode.NotFound => new CommandFailedException(ExitCodes.NotFound, $"not found: {text}"),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new CommandFailedException(ExitCodes.AuthRefused,
                $"the service refused the caller ({code} {text}); check the token in " +
                $"${GlobalOptions.TokenVariable} or --token-file"),
            HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout =>
                new CommandFailedException(ExitCodes.Unavailable, $"the service is unavailable ({code}): {text}"),
            _ => new CommandFailedException(ExitCodes.Failure, $"the service answered {code}: {text}"),
        };
    }

    /// <summary>The <c>error</c> of the contract's error body, or null when the body is something else.</summary>
    private static string? ErrorText(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.String
                    ? error.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
