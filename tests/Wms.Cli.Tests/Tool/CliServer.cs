using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;
using Wms.Api.Tests.Lifecycle;

namespace Wms.Cli.Tests.Tool;

/// <summary>
/// A running service (authentication off, a fake MQS of today's kind) and the packed tool pointed at it, shared by
/// one test class. Its finds answer small pages, so that every find of more than a couple of objects takes several.
/// </summary>
public sealed class CliServer : IAsyncLifetime
{
    /// <summary>Bytes of objects per find page: two workflows, or one taskforce.</summary>
    public const string PageBytes = "300";

    private LifecycleHost? _host;
    private PackedTool? _tool;

    public WmsServer Server => _host?.Server ?? throw new InvalidOperationException("not started");

    public PackedTool Tool => _tool ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _tool = await PackedTool.SharedAsync();
        _host = await LifecycleHost.StartAsync(StorageMode.Memory, s => s["USER_QUERY_MAX_BYTES"] = PageBytes);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    /// <summary>Runs <c>wms</c> against this service (<c>WMS_URL</c>), with any more environment given.</summary>
    public Task<ToolRun> RunAsync(params string[] args) => RunAsync(args, stdin: null);

    public Task<ToolRun> RunAsync(IEnumerable<string> args, string? stdin, IReadOnlyDictionary<string, string>? environment = null)
    {
        var all = new Dictionary<string, string> { ["WMS_URL"] = Server.BaseAddress.ToString() };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            all[name] = value;
        }
        return Tool.RunAsync(args, all, stdin);
    }

    /// <summary>Starts <c>wms</c> against this service, for a run read while it goes on.</summary>
    public RunningTool Start(params string[] args) =>
        Tool.Start(args, new Dictionary<string, string> { ["WMS_URL"] = Server.BaseAddress.ToString() });

    /// <summary>What the service itself answers to a body: its status and its error text, for comparing with the tool.</summary>
    public async Task<(int Status, string? Error)> PostDirectlyAsync(string path, string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await Server.Http.PostAsync(path, content);
        var json = await response.Content.ReadFromJsonAsync<JsonObject>();
        return ((int)response.StatusCode, json?["error"]?.GetValue<string>());
    }
}
