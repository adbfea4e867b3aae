using System.Text.Json.Nodes;
using Wms.Api.Tests.Auth;
using Wms.Api.Tests.Infrastructure;
using Wms.Testing;

namespace Wms.Api.Tests.Docs;

/// <summary>
/// Each generation serves, and documents, exactly the routes of upstream's document of that generation, plus our
/// named extensions and nothing else: a route missing, or one nobody decided to add, fails here.
/// </summary>
public sealed class RouteSetTests
{
    /// <summary>Our extensions, as "METHOD path"; CONTRACT.md and V1-DELTA §1 name each.</summary>
    private static readonly Dictionary<string, string[]> Extensions = new()
    {
        ["v0"] =
        [
            "POST /v0/task-directives/{task_id}/actions/add-workers",
            "GET /v0/mqs/workflows/{workflow_id}/mq-profiles/public",
            "GET /v0/taskforces/{taskforce_uuid}/status-history",
            "GET /v0/workflows/{workflow_id}/explain",
            "GET /v0/taskforces/{taskforce_uuid}/explain",
            "GET /v0/workflows/{workflow_id}/events",
        ],
        ["v1"] =
        [
            "GET /v1/mqs/workflows/{workflow_id}/mq-profiles/public",
            "GET /v1/taskforces/{taskforce_uuid}/status-history",
            "GET /v1/workflows/{workflow_id}/explain",
            "GET /v1/taskforces/{taskforce_uuid}/explain",
            "GET /v1/workflows/{workflow_id}/events",
        ],
    };

    private static readonly Dictionary<string, WmsSchema> Upstream = new()
    {
        ["v0"] = V0Schema.Shared,
        ["v1"] = V1Schema.Shared,
    };

    [Fact]
    public void UpstreamPathSetsAreTheFixturesWhole()
    {
        // Guards the comparisons below against a fixture that lost routes: upstream lists 19 and 20 paths.
        Assert.Equal(19, V0Schema.Paths.Count);
        Assert.Equal(20, V1Schema.Paths.Count);
        Assert.Contains("/v0/", V0Schema.Paths);
        Assert.Contains("/v1/schema/openapi", V1Schema.Paths);
    }

    [Theory]
    [InlineData("v0")]
    [InlineData("v1")]
    public async Task ServedDocumentListsUpstreamsRoutesAndOurExtensions(string generation)
    {
        await using var server = await WmsServer.StartAsync();
        var document = JsonNode.Parse(await server.Http.GetStringAsync($"{generation}/schema/openapi"))!.AsObject();
        var paths = document["paths"]!.AsObject();
        var operations = paths.SelectMany(p => p.Value!.AsObject().Select(m => $"{m.Key.ToUpperInvariant()} {p.Key}"));

        AssertSameSet(Expected(generation), operations, "documented");
        AssertSameSet(ExpectedPaths(generation), paths.Select(p => p.Key), "documented");
    }

    [Theory]
    [InlineData("v0")]
    [InlineData("v1")]
    public async Task MappedRoutesAreUpstreamsRoutesAndOurExtensions(string generation)
    {
        await using var server = await WmsServer.StartAsync();
        var mapped = AppEndpoint.Of(server.Services)
            .Where(e => e.Pattern.StartsWith($"/{generation}/", StringComparison.Ordinal))
            // The /v0 document is served from a route that names it, and answers 404 for any other name.
            .Select(e => e.Key.Replace("/schema/{documentName}", "/schema/openapi", StringComparison.Ordinal));

        AssertSameSet(Expected(generation), mapped, "mapped");
    }

    /// <summary>Names what is missing and what is there unasked, rather than the first place two lists part.</summary>
    private static void AssertSameSet(IEnumerable<string> expected, IEnumerable<string> actual, string what)
    {
        var missing = expected.Except(actual).ToList();
        var unasked = actual.Except(expected).ToList();
        Assert.True(missing.Count == 0 && unasked.Count == 0,
            $"not {what}: [{string.Join(", ", missing)}]; {what} but neither upstream's nor our extension: [{string.Join(", ", unasked)}]");
        Assert.Equal(expected.Count(), actual.Count());
    }

    private static IEnumerable<string> Expected(string generation) =>
        Upstream[generation].Operations.Concat(Extensions[generation]);

    private static IEnumerable<string> ExpectedPaths(string generation) =>
        (generation == "v1" ? V1Schema.Paths : V0Schema.Paths)
            .Concat(Extensions[generation].Select(e => e[(e.IndexOf(' ', StringComparison.Ordinal) + 1)..]));
}
