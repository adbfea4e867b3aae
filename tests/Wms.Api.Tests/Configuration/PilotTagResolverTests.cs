using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Wms.Api.Configuration;
using Wms.Api.Tests.Infrastructure;

namespace Wms.Api.Tests.Configuration;

public sealed class PilotTagResolverTests
{
    private static PilotTagResolver FromList(params string[] tags) =>
        new(Options.Create(new ApiOptions { PilotTags = [.. tags] }));

    [Fact]
    public void LatestIsTheHighestReleaseByVersionOrderNotStringOrder()
    {
        var resolver = FromList("0.9.1", "1.2.3", "1.10.0", "1.9.99", "dev-abc123");
        Assert.Equal("1.10.0", resolver.Resolve("latest"));
    }

    [Fact]
    public void AKnownTagResolvesToItselfAndAnUnknownOneToNothing()
    {
        var resolver = FromList("1.2.3", "dev-abc123");
        Assert.Equal("1.2.3", resolver.Resolve("1.2.3"));
        Assert.Equal("dev-abc123", resolver.Resolve("dev-abc123"));
        Assert.Null(resolver.Resolve("1.2.4"));
        Assert.Null(FromList("dev-abc123").Resolve("latest"));
    }

    [Fact]
    public void TagsAreReadFromADirectoryOfPilotImagesWhenOneIsSet()
    {
        var directory = Directory.CreateTempSubdirectory("wms-pilots-");
        try
        {
            foreach (var name in new[] { "ewms-pilot:0.9.1", "ewms-pilot:1.10.0", "ewms-pilot:1.2.3", "other:9.9.9" })
            {
                Directory.CreateDirectory(Path.Combine(directory.FullName, name));
            }
            var resolver = new PilotTagResolver(Options.Create(new ApiOptions
            {
                PilotImagesDirectory = directory.FullName,
                PilotTags = ["7.7.7"], // the directory wins over the list
            }));
            Assert.Equal("1.10.0", resolver.Resolve("latest"));
            Assert.Null(resolver.Resolve("9.9.9"));
            Assert.Null(resolver.Resolve("7.7.7"));
        }
        finally
        {
            directory.Delete(true);
        }
    }

    [Fact]
    public async Task ANewWorkflowPinsLatestToTheHighestKnownRelease()
    {
        await using var server = await WmsServer.StartAsync();
        var request = JsonNode.Parse("""
            {"public_queue_aliases": [], "tasks": [{"cluster_locations": ["test-alpha"], "task_image": "img",
             "task_args": "", "input_queue_aliases": [], "output_queue_aliases": [], "n_workers": 1,
             "worker_config": {"do_transfer_worker_stdouterr": false, "max_worker_runtime": 60, "n_cores": 1,
                               "priority": 1, "worker_disk": "1G", "worker_memory": "1G"}}]}
            """);
        using var response = await server.Http.PostAsJsonAsync("v0/workflows", request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("1.10.0", created["taskforces"]![0]!["pilot_config"]!["tag"]!.GetValue<string>());
    }
}
