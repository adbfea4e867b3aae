using Wms.Api.Tests.Auth;
using Wms.Api.Tests.Infrastructure;
using Wms.Cli.Tests.Tool;

namespace Wms.Cli.Tests.Lifecycle;

/// <summary>
/// <c>wms ls --mine</c> against a service with authentication on, in PostgreSQL: each caller's own workflows alone,
/// on either generation, in the same <c>--json</c> shape as every <c>ls</c>; without it, every readable workflow.
/// </summary>
public sealed class ListMineTests
{
    [Fact]
    public async Task LsMineListsTheCallersOwnWorkflowsAlone()
    {
        var minter = TokenMinter.Symmetric();
        var tool = await PackedTool.SharedAsync();
        await using var server = await WmsServer.StartAsync(StorageMode.Postgres, s =>
        {
            minter.Configure(s);
            s["WMS_AUTH_DISABLED"] = null;
        });
        var alice = As(server, minter.User("alice"));
        var bob = As(server, minter.User("bob"));
        List<string> alices = [await SubmitAsync(tool, alice, 20), await SubmitAsync(tool, alice, 21)];
        var bobs = await SubmitAsync(tool, bob, 22);

        foreach (var api in new[] { "v1", "v0" })
        {
            var mine = await tool.RunAsync(["--api", api, "ls", "--mine", "--json"], alice);
            Assert.Equal(0, mine.ExitCode);
            var json = mine.Json();
            Assert.Equal(["workflows"], json.Select(m => m.Key));
            Assert.Equal(alices.Order(StringComparer.Ordinal), Ids(mine));
            Assert.Equal([bobs], Ids(await tool.RunAsync(["--api", api, "ls", "--mine", "--json"], bob)));
            Assert.Equal(alices.Append(bobs).Order(StringComparer.Ordinal), Ids(await tool.RunAsync(["--api", api, "ls", "--json"], alice)));
        }
        // With the other options: a state, and the table.
        Assert.Empty(Ids(await tool.RunAsync(["ls", "--mine", "--state", "aborted", "--json"], alice)));
        var table = await tool.RunAsync(["ls", "--mine"], bob);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains(bobs, table.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(alices[0], table.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 workflow", table.Stdout, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> As(WmsServer server, string token) => new()
    {
        ["WMS_URL"] = server.BaseAddress.ToString(),
        ["WMS_TOKEN"] = token,
    };

    private static async Task<string> SubmitAsync(PackedTool tool, Dictionary<string, string> caller, int priority)
    {
        var created = await tool.RunAsync(["submit", "-", "--json"], caller, WorkflowRequests.Json(priority));
        Assert.Equal(0, created.ExitCode);
        return created.Json()["workflow"]!["workflow_id"]!.GetValue<string>();
    }

    private static List<string> Ids(ToolRun run) =>
        [.. run.Json()["workflows"]!.AsArray().Select(w => w!["workflow_id"]!.GetValue<string>()).Order(StringComparer.Ordinal)];
}
