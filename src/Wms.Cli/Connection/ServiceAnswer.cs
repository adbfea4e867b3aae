using System.Text.Json;

namespace Wms.Cli.Connection;

/// <summary>A successful answer of the service: its status and its body's bytes, exactly as they arrived.</summary>
public sealed record ServiceAnswer(int Status, byte[] Body)
{
    /// <summary>The body as a JSON document; an answer that is not JSON is the service's fault, said in one line.</summary>
    public JsonDocument Document()
    {
        try
        {
            return JsonDocument.Parse(Body);
        }
        catch (JsonException e)
        {
            throw new CommandFailedException(ExitCodes.Failure, $"the service's answer is not JSON: {e.Message}");
        }
    }
}
