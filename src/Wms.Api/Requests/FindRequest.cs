using System.Text.Json.Nodes;
using Wms.Query;
using static Wms.Api.Requests.JsonShape;

namespace Wms.Api.Requests;

/// <summary>A parsed query request: a validated filter and an optional projection.</summary>
public sealed record FindRequest(FilterNode Filter, Projection? Projection)
{
    private static readonly string[] Keys = ["query", "projection"];

    public static FindRequest Read(JsonObject body)
    {
        OnlyKeys(body, "", Keys);
        var query = JsonShape.Object(Required(body, "query", ""), "query");
        body.TryGetPropertyValue("projection", out var projection);
        return new FindRequest(FilterParser.Parse(query), Projection.Parse(projection));
    }
}
