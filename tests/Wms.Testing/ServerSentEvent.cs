using System.Globalization;
using System.Text.Json.Nodes;

namespace Wms.Testing;

/// <summary>One event of a Server-Sent Events stream: its id (the last one the stream named), name and data.</summary>
public sealed record ServerSentEvent(string? Id, string Name, string Data)
{
    public JsonObject Json => JsonNode.Parse(Data) as JsonObject
        ?? throw new InvalidOperationException($"the data of event '{Name}' is not a JSON object: {Data}");

    /// <summary>The sequence in a WMS event id (<c>{epoch}-{sequence}</c>).</summary>
    public long Sequence => long.Parse(Id![(Id!.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture);

    /// <summary>The epoch in a WMS event id.</summary>
    public string Epoch => Id![..Id!.LastIndexOf('-')];
}
