using Wms.Api.Tests.Infrastructure;
using Wms.Cli.Tests.Tool;

namespace Wms.Cli.Tests.Errors;

/// <summary>
/// A request the service would refuse is refused by the tool before anything is sent, with the very message the
/// service gives for it. The tool is pointed at a port nobody listens on: a refusal there cannot have come from a
/// request.
/// </summary>
public sealed class LocalValidationTests(CliServer cli) : IClassFixture<CliServer>
{
    /// <summary>A file, its text, and the same request as the service receives it (JSON).</summary>
    public static TheoryData<string, string, string> BadFiles => new()
    {
        { "no-tasks.json", """{"tasks": [], "public_queue_aliases": []}""", """{"tasks": [], "public_queue_aliases": []}""" },
        { "cut-short.json", """{"tasks": [{"task_image": """, """{"tasks": [{"task_image": """ },
        { "empty.json", "", "" },
        { "zero-workers.yaml", Request.Yaml(nWorkers: "0"), Request.Json(nWorkers: "0") },
        { "no-such-size.yaml", Request.Yaml(memory: "lots"), Request.Json(memory: "\"lots\"") },
        { "quoted-cores.yaml", Request.Yaml(cores: "\"1\""), Request.Json(cores: "\"1\"") },
        { "extra-field.yaml", Request.Yaml(extra: "colour: blue"), Request.Json(extra: "\"colour\": \"blue\",") },
        {
            "reserved-variable.yaml",
            Request.Yaml(pilot: "{tag: latest, image_source: cvmfs, environment: {EWMS_PILOT_TASK_IMAGE: x}, input_files: []}"),
            Request.Json(pilot: """{"tag": "latest", "image_source": "cvmfs", "environment": {"EWMS_PILOT_TASK_IMAGE": "x"}, "input_files": []}""")
        },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task ABadWorkflowFileIsRefusedHereWithTheServicesOwnMessage(string name, string text, string asSent)
    {
        var (status, expected) = await cli.PostDirectlyAsync("v1/workflows", asSent);
        Assert.Equal(400, status);

        using var directory = new TempDirectory();
        var file = directory.Write(name, text);
        var run = await cli.Tool.RunAsync(["submit", file, "--url", Nowhere()]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"wms: {file}: {expected}", run.ErrorLine());
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task ABadFilterIsRefusedHereWithTheServicesOwnMessage()
    {
        var filter = """{"tasks": {"$where": "sleep(1000)"}}""";
        var (status, expected) = await cli.PostDirectlyAsync("v1/query/workflows", $$"""{"query": {{filter}}}""");
        Assert.Equal(400, status);

        var run = await cli.Tool.RunAsync(["ls", "--filter", filter, "--url", Nowhere()]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"wms: --filter: {expected}", run.ErrorLine());
    }

    [Fact]
    public async Task AnAddWorkersRequestTheServiceWouldRefuseIsRefusedHere()
    {
        var (status, expected) = await cli.PostDirectlyAsync(
            "v1/task-directives/TK-0-00000000-00000000/actions/add-workers", """{"cluster_location": "test-beta", "n_workers": 0}""");
        Assert.Equal(400, status);

        var run = await cli.Tool.RunAsync(
            ["add-workers", "TK-0-00000000-00000000", "--cluster-location", "test-beta", "--n-workers", "0", "--url", Nowhere()]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"wms: {expected}", run.ErrorLine());
    }

    private static string Nowhere() => $"http://127.0.0.1:{FreePorts.Next()}";

    /// <summary>A small <c>/v1</c> request, as YAML and as the JSON it stands for, with one part changed.</summary>
    private static class Request
    {
        public static string Yaml(
            string nWorkers = "1", string memory = "1G", string cores = "1", string extra = "", string? pilot = null) => $$$"""
            {{{extra}}}
            public_queue_aliases: []
            tasks:
              - cluster_locations: [test-alpha]
                input_queue_aliases: []
                output_queue_aliases: []
                task_image: /cvmfs/img:1
                task_args: run
                n_workers: {{{nWorkers}}}
            {{{(pilot is null ? "" : "    pilot_config: " + pilot)}}}
                worker_config:
                  do_transfer_worker_stdouterr: false
                  max_worker_runtime: 60
                  n_cores: {{{cores}}}
                  priority: 10
                  worker_disk: 1G
                  worker_memory: {{{memory}}}
                  condor_requirements: ""
            """;

        public static string Json(
            string nWorkers = "1", string memory = "\"1G\"", string cores = "1", string extra = "", string? pilot = null) => $$$"""
            { {{{extra}}} "public_queue_aliases": [],
              "tasks": [{"cluster_locations": ["test-alpha"], "input_queue_aliases": [], "output_queue_aliases": [],
                         "task_image": "/cvmfs/img:1", "task_args": "run", "n_workers": {{{nWorkers}}},
                         {{{(pilot is null ? "" : "\"pilot_config\": " + pilot + ",")}}}
                         "worker_config": {"do_transfer_worker_stdouterr": false, "max_worker_runtime": 60,
                                           "n_cores": {{{cores}}}, "priority": 10, "worker_disk": "1G",
                                           "worker_memory": {{{memory}}}, "condor_requirements": ""} }]
            }
            """;
    }
}
