using System.Text.Json.Nodes;

namespace Wms.Testing;

/// <summary>A WMS answer as <see cref="SimulatedTms"/> received it (already schema-checked).</summary>
public sealed record TmsResponse(int StatusCode, JsonNode? Body, string? ReasonPhrase)
{
    public bool IsSuccess => StatusCode is >= 200 and <= 299;

    /// <summary>The body when it is a JSON object, otherwise null.</summary>
    public JsonObject? Object => Body as JsonObject;
}
