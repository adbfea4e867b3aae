using System.Text.Json;
using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;

namespace Wms.Api.Tests.Docs;

/// <summary>The checked-in reference in Docs/ must describe the code as it is.</summary>
public sealed class ApiDocsTests
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Fact]
    public async Task CheckedInReferenceMatchesTheServedDocument()
    {
        await using var server = await WmsServer.StartAsync();
        var served = JsonNode.Parse(await server.Http.GetStringAsync("v0/schema/openapi"))!.AsObject();
        var openapi = served.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";
        var reference = ApiReferenceWriter.Render(served).ReplaceLineEndings("\n");
        var openapiPath = RepositoryFiles.PathOf("Docs", "openapi.json");
        var referencePath = RepositoryFiles.PathOf("Docs", "API.md");
        if (Environment.GetEnvironmentVariable("WMS_UPDATE_DOCS") == "1")
        {
            await File.WriteAllTextAsync(openapiPath, openapi);
            await File.WriteAllTextAsync(referencePath, reference);
        }
        Assert.True(File.Exists(openapiPath), "Docs/openapi.json is missing; run the tests with WMS_UPDATE_DOCS=1");
        Assert.Equal(await File.ReadAllTextAsync(openapiPath), openapi);
        Assert.Equal(await File.ReadAllTextAsync(referencePath), reference);
    }

    [Fact]
    public async Task EveryMappedEndpointIsInTheDocument()
    {
        await using var server = await WmsServer.StartAsync();
        var served = JsonNode.Parse(await server.Http.GetStringAsync("v0/schema/openapi"))!.AsObject();
        var paths = served["paths"]!.AsObject();
        string[] expected =
        [
            "/v0", "/v0/workflows", "/v0/workflows/{workflow_id}", "/v0/workflows/{workflow_id}/actions/abort",
            "/v0/workflows/{workflow_id}/actions/finished", "/v0/task-directives/{task_id}",
            "/v0/task-directives/{task_id}/actions/add-workers", "/v0/taskforces/{taskforce_uuid}",
            "/v0/query/workflows", "/v0/query/task-directives", "/v0/query/taskforces",
            "/v0/tms/pending-starter/taskforces", "/v0/tms/pending-stopper/taskforces",
            "/v0/tms/condor-submit/taskforces/{taskforce_uuid}", "/v0/tms/condor-submit/taskforces/{taskforce_uuid}/failed",
            "/v0/tms/condor-rm/taskforces/{taskforce_uuid}", "/v0/tms/condor-rm/taskforces/{taskforce_uuid}/failed",
            "/v0/tms/condor-complete/taskforces/{taskforce_uuid}", "/v0/tms/statuses/taskforces",
            "/v0/mqs/workflows/{workflow_id}/mq-profiles/public",
        ];
        Assert.Equal(expected.Order(), paths.Select(p => p.Key).Order());
        var phase = served["components"]!["schemas"]!["TaskforceDocument"]!["properties"]!["phase"]!["enum"]!.AsArray();
        Assert.Equal(7, phase.Count);
    }
}
