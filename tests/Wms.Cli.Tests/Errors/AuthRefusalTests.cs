using Wms.Api.Tests.Auth;
using Wms.Api.Tests.Infrastructure;
using Wms.Cli.Tests.Tool;

namespace Wms.Cli.Tests.Errors;

/// <summary>The packed tool against a service with authentication on: the token it sends, and the 403s it reports.</summary>
public sealed class AuthRefusalTests(AuthRefusalTests.AuthServer auth) : IClassFixture<AuthRefusalTests.AuthServer>
{
    [Fact]
    public async Task NoTokenIsRefusedWithExitFourAndTheServicesWords()
    {
        var run = await auth.RunAsync(["ls"]);
        Assert.Equal(4, run.ExitCode);
        Assert.Equal(
            "wms: the service refused the caller (403 authentication failed); check the token in $WMS_TOKEN or --token-file",
            run.ErrorLine());
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task ATokenWithoutAUserRoleIsRefusedWithExitFour()
    {
        var run = await auth.RunAsync(["ls"], new() { ["WMS_TOKEN"] = auth.Minter.NoRole() });
        Assert.Equal(4, run.ExitCode);
        Assert.Contains("(403 authorization failed)", run.ErrorLine());
    }

    [Fact]
    public async Task ATokenFromAFileOrFromTheEnvironmentIsSent()
    {
        using var directory = new TempDirectory();
        var tokenFile = directory.Write("token", auth.Minter.User("alice") + "\n");
        var request = directory.Write("scan.yaml", WorkflowRequests.Yaml(priority: 44));
        var created = (await auth.RunAsync(["submit", request, "--token-file", tokenFile, "--json"])).Json();
        var workflowId = created["workflow"]!["workflow_id"]!.GetValue<string>();
        Assert.Contains("(by alice)", created["taskforces"]![0]!["phase_change_log"]![0]!["context"]!.GetValue<string>());

        var read = (await auth.RunAsync(["get", workflowId, "--json"], new() { ["WMS_TOKEN"] = auth.Minter.User("bob") })).Json();
        Assert.Equal(workflowId, read["workflow"]!["workflow_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task ATokenFileThatCannotBeReadIsAUsageError()
    {
        var run = await auth.RunAsync(["ls", "--token-file", "/nonexistent/wms-token"]);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("wms: cannot read the token file /nonexistent/wms-token: ", run.ErrorLine());
    }

    /// <summary>A service that checks tokens signed by <see cref="Minter"/>, and the packed tool.</summary>
    public sealed class AuthServer : IAsyncLifetime
    {
        private WmsServer? _server;
        private PackedTool? _tool;

        public TokenMinter Minter { get; } = TokenMinter.Symmetric();

        public async Task InitializeAsync()
        {
            _tool = await PackedTool.SharedAsync();
            _server = await WmsServer.StartAsync(Minter.Configure);
        }

        public async Task DisposeAsync()
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }

        public Task<ToolRun> RunAsync(string[] args, Dictionary<string, string>? environment = null)
        {
            var all = new Dictionary<string, string>(environment ?? []) { ["WMS_URL"] = _server!.BaseAddress.ToString() };
            return _tool!.RunAsync(args, all);
        }
    }
}
