using Wms.Cli.Tests.Tool;

namespace Wms.Cli.Tests.Errors;

/// <summary>The packed tool retries what may pass, as the service asks, without making anything twice.</summary>
public sealed class RetryTests
{
    [Fact]
    public async Task A503IsRetriedAfterItsRetryAfterWithTheSameIdempotencyKey()
    {
        var tool = await PackedTool.SharedAsync();
        await using var service = await FlakyService.StartAsync(failures: 1, retryAfterSeconds: 1);
        using var directory = new TempDirectory();
        var file = directory.Write("scan.yaml", WorkflowRequests.Yaml(priority: 50));

        var run = await tool.RunAsync(["submit", file, "--json"], new Dictionary<string, string> { ["WMS_URL"] = service.Address.ToString() });

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(FlakyService.Creation, run.Stdout.Trim());
        var requests = service.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.True(Guid.TryParse(requests[0].Key, out _), $"key '{requests[0].Key}'");
        Assert.Equal(requests[0].Key, requests[1].Key);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(0.9), $"retried after {requests[1].At - requests[0].At}");
    }

    [Fact]
    public async Task AServiceThatStaysUnavailableIsExitFiveWithItsWords()
    {
        var tool = await PackedTool.SharedAsync();
        await using var service = await FlakyService.StartAsync(failures: int.MaxValue, retryAfterSeconds: 0);
        using var directory = new TempDirectory();
        var file = directory.Write("scan.yaml", WorkflowRequests.Yaml(priority: 50));

        var run = await tool.RunAsync(
            ["submit", file, "--retries", "2", "--idempotency-key", "my-key-1"],
            new Dictionary<string, string> { ["WMS_URL"] = service.Address.ToString() });

        Assert.Equal(5, run.ExitCode);
        Assert.Equal("wms: the service is unavailable (503): the database is restarting", run.ErrorLine());
        Assert.Equal(["my-key-1", "my-key-1", "my-key-1"], service.Requests.Select(r => r.Key));
    }
}
