using System.Text.Json.Nodes;
using Wms.Api.Rendering;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Query;
using Wms.Requests;
using static Wms.Requests.JsonShape;

namespace Wms.Api.Requests;

/// <summary>
/// A parsed query request: a validated filter, an optional projection, on <c>/v1</c> where the page starts (the
/// <c>after</c> cursor as given, null for the first page), and for workflows whether only the caller's own are
/// asked for (<c>"mine": true</c>, an extension of both generations).
/// </summary>
public sealed record FindRequest(FilterNode Filter, Projection? Projection, string? After = null, bool Mine = false)
{
    private static readonly string[] Keys = ["query", "projection"];
    private static readonly string[] KeysV1 = ["query", "projection", "after"];
    private static readonly string[] WorkflowKeys = [.. Keys, "mine"];
    private static readonly string[] WorkflowKeysV1 = [.. KeysV1, "mine"];

    /// <summary>A request's query and projection, with field names as <paramref name="generation"/> shows them.</summary>
    public static FindRequest Read(JsonObject body, ApiGeneration generation, ObjectKind kind)
    {
        OnlyKeys(body, "", (generation, kind) switch
        {
            (ApiGeneration.V1, ObjectKind.Workflow) => WorkflowKeysV1,
            (ApiGeneration.V1, _) => KeysV1,
            (_, ObjectKind.Workflow) => WorkflowKeys,
            _ => Keys,
        });
        var query = JsonShape.Object(Required(body, "query", ""), "query");
        body.TryGetPropertyValue("projection", out var projection);
        // Clients send a null cursor for the first page as often as none.
        var after = body.TryGetPropertyValue("after", out var a) && a is not null ? String(a, "after") : null;
        var mine = body.TryGetPropertyValue("mine", out var m) && Boolean(m, "mine");
        // A projection is checked as given: two names the generation hides map to one stored name, which would
        // hide a repeat. It is short; the filter, which may be long, is parsed once unless it is wrong.
        Projection.Parse(projection);
        try
        {
            return new FindRequest(
                FilterParser.Parse(GenerationFields.ToStored(generation, kind, query)),
                Projection.Parse(GenerationFields.ToStored(generation, kind, projection)),
                after,
                mine);
        }
        catch (FilterException)
        {
            // Stored names only rename fields, so the filter as given is wrong too: its error names the fields as
            // the client wrote them.
            FilterParser.Parse(query);
            throw;
        }
    }
}
