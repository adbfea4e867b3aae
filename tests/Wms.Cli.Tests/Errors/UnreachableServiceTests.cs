using Wms.Api.Tests.Infrastructure;
using Wms.Cli.Tests.Tool;

namespace Wms.Cli.Tests.Errors;

/// <summary>The packed tool with no service to talk to, or without being told where it is.</summary>
public sealed class UnreachableServiceTests
{
    [Fact]
    public async Task AServiceNobodyAnswersForIsExitFiveAfterTheRetries()
    {
        var tool = await PackedTool.SharedAsync();
        var url = $"http://127.0.0.1:{FreePorts.Next()}/";
        var run = await tool.RunAsync(["get", "WF-0-00000000", "--retries", "1"], new Dictionary<string, string> { ["WMS_URL"] = url });
        Assert.Equal(5, run.ExitCode);
        Assert.Equal($"wms: cannot reach the service at {url}: Connection refused (tried 2 times)", run.ErrorLine());
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task NoServiceUrlIsAUsageError()
    {
        var tool = await PackedTool.SharedAsync();
        var run = await tool.RunAsync(["ls"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("wms: no service URL: give --url or set WMS_URL", run.ErrorLine());
    }

    [Theory]
    [InlineData("get")]
    [InlineData("frobnicate")]
    [InlineData("ls --limit 0")]
    [InlineData("ls --phase running")]
    public async Task AWrongCommandLineIsOneLineAndExitTwo(string commandLine)
    {
        var tool = await PackedTool.SharedAsync();
        var run = await tool.RunAsync(commandLine.Split(' '), new Dictionary<string, string> { ["WMS_URL"] = "http://127.0.0.1:1/" });
        Assert.Equal(2, run.ExitCode);
        Assert.EndsWith("(see 'wms --help')", run.ErrorLine());
    }
}
