using System.Text.Json;
using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;

namespace Wms.Api.Tests.Docs;

/// <summary>The checked-in reference in Docs/ must describe the code as it is, both generations.</summary>
public sealed class ApiDocsTests
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Fact]
    public async Task CheckedInReferenceMatchesTheServedDocuments()
    {
        await using var server = await WmsServer.StartAsync();
        var v0 = await ServedAsync(server, "v0");
        var v1 = await ServedAsync(server, "v1");
        var files = new Dictionary<string, string>
        {
            [RepositoryFiles.PathOf("Docs", "openapi.json")] = Text(v0),
            [RepositoryFiles.PathOf("Docs", "openapi-v1.json")] = Text(v1),
            [RepositoryFiles.PathOf("Docs", "API.md")] = ApiReferenceWriter.Render(v0, v1).ReplaceLineEndings("\n"),
        };
        if (Environment.GetEnvironmentVariable("WMS_UPDATE_DOCS") == "1")
        {
            foreach (var (path, text) in files)
            {
                await File.WriteAllTextAsync(path, text);
            }
        }
        foreach (var (path, text) in files)
        {
            Assert.True(File.Exists(path), $"{path} is missing; run the tests with WMS_UPDATE_DOCS=1");
            Assert.Equal(await File.ReadAllTextAsync(path), text);
        }
    }

    [Fact]
    public async Task EachGenerationShowsItsOwnShapeOfTheObjects()
    {
        await using var server = await WmsServer.StartAsync();
        var v0 = Schemas(await ServedAsync(server, "v0"));
        var v1 = Schemas(await ServedAsync(server, "v1"));

        Assert.Equal(7, v0["TaskforceDocument"]!["properties"]!["phase"]!["enum"]!.AsArray().Count);
        Assert.Equal(7, v1["TaskforceDocument"]!["properties"]!["phase"]!["enum"]!.AsArray().Count);

        // /v0: what the original /v0 service shows, and nothing /v1 added.
        Assert.Null(v0["TaskforceDocument"]!["properties"]!["priority"]);
        Assert.Equal(["tag", "environment", "input_files"], Members(v0["PilotConfig"]));
        Assert.Equal(
            ["do_transfer_worker_stdouterr", "max_worker_runtime", "n_cores", "priority", "worker_disk", "worker_memory"],
            Members(v0["WorkerConfig"]));
        Assert.Equal("string", v0["WorkerConfig"]!["properties"]!["worker_disk"]!["type"]!.ToString());
        Assert.Contains("description", Members(v0["PhaseChangeLogEntry"]));
        Assert.Contains("mq_activated_ts", Members(v0["WorkflowDocument"]));
        Assert.DoesNotContain("task_env", Members(v0["TaskDirectiveDocument"]));
        Assert.Null(v0["ConfigValue"]);

        // /v1: V1-DELTA §1.1.
        Assert.Contains("priority", Required(v1["TaskforceDocument"]));
        Assert.Equal(["null", "string"], Types(v1["TaskforceDocument"]!["properties"]!["collector"]));
        Assert.Equal(["tag", "image_source", "environment", "input_files"], Members(v1["PilotConfig"]));
        Assert.Equal(["tag", "image_source", "environment", "input_files"], Required(v1["PilotConfig"]));
        Assert.Equal(
            ["do_transfer_worker_stdouterr", "max_worker_runtime", "n_cores", "priority", "worker_disk", "worker_memory",
                "condor_requirements"],
            Required(v1["WorkerConfig"]));
        Assert.Equal(["integer", "string"], Types(v1["WorkerConfig"]!["properties"]!["worker_memory"]));
        Assert.Contains("context", Required(v1["PhaseChangeLogEntry"]));
        Assert.DoesNotContain("description", Members(v1["PhaseChangeLogEntry"]));
        Assert.DoesNotContain("mq_activated_ts", Members(v1["WorkflowDocument"]));
        Assert.Equal(["task_env", "init_image", "init_args", "init_env"], Members(v1["TaskDirectiveDocument"])[^4..]);
        Assert.Contains("next_after", Required(v1["TaskforcesBody"]));
    }

    [Fact]
    public async Task EachGenerationTakesItsOwnRequests()
    {
        await using var server = await WmsServer.StartAsync();
        var v0 = await ServedAsync(server, "v0");
        var v1 = await ServedAsync(server, "v1");

        var create0 = Body(v0, "/v0/workflows");
        var create1 = Body(v1, "/v1/workflows");
        Assert.Null(create0["properties"]!["priority"]!["maximum"]);
        Assert.Equal("100", create1["properties"]!["priority"]!["maximum"]!.ToString());
        var worker0 = create0["properties"]!["tasks"]!["items"]!["properties"]!["worker_config"]!;
        var worker1 = create1["properties"]!["tasks"]!["items"]!["properties"]!["worker_config"]!;
        Assert.DoesNotContain("condor_requirements", Members(worker0));
        Assert.Contains("condor_requirements", Required(worker1));
        Assert.Null(Body(v0, "/v0/query/taskforces")["properties"]!["after"]);
        Assert.Equal(["null", "string"], Types(Body(v1, "/v1/query/taskforces")["properties"]!["after"]));
    }

    private static async Task<JsonObject> ServedAsync(WmsServer server, string generation) =>
        JsonNode.Parse(await server.Http.GetStringAsync($"{generation}/schema/openapi"))!.AsObject();

    private static string Text(JsonObject document) => document.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";

    private static JsonObject Schemas(JsonObject document) => document["components"]!["schemas"]!.AsObject();

    private static JsonNode Body(JsonObject document, string path) =>
        document["paths"]![path]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!;

    private static string[] Members(JsonNode? schema) => [.. schema!["properties"]!.AsObject().Select(p => p.Key)];

    private static string[] Required(JsonNode? schema) => [.. schema!["required"]!.AsArray().Select(r => r!.ToString())];

    private static string[] Types(JsonNode? schema) => [.. schema!["type"]!.AsArray().Select(t => t!.ToString()).Order()];
}
