using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;
using Wms.Testing;

namespace Wms.Api.Tests.Lifecycle;

/// <summary>
/// A WMS host wired to a fake MQS (or to its embedded one), with a user client and a simulated TMS per schedd.
/// </summary>
public sealed class LifecycleHost : IAsyncDisposable
{
    /// <summary>How long any background step may take before a test gives up on it.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private LifecycleHost(WmsServer server, FakeMqs? mqs)
    {
        Server = server;
        Mqs = mqs;
        User = new UserClient(server.Http);
        Alpha = new SimulatedTms(server.Http, WmsServer.AlphaCollector, WmsServer.AlphaSchedd, V0Schema.Shared, 10_001);
        Beta = new SimulatedTms(server.Http, WmsServer.BetaCollector, WmsServer.BetaSchedd, V0Schema.Shared, 20_001);
    }

    public WmsServer Server { get; }

    /// <summary>The fake MQS; null when the host uses its embedded one.</summary>
    public FakeMqs? Mqs { get; }

    public FakeMqs FakeMqs => Mqs ?? throw new InvalidOperationException("this host uses the embedded MQS");

    public UserClient User { get; }

    /// <summary>The TMS of test-alpha (COLLECTOR1/SCHEDD1).</summary>
    public SimulatedTms Alpha { get; }

    /// <summary>The TMS of test-beta (COLLECTOR2/SCHEDD2).</summary>
    public SimulatedTms Beta { get; }

    /// <summary>Starts a fake MQS and a WMS pointed at it; <paramref name="configure"/> may change settings.</summary>
    public static async Task<LifecycleHost> StartAsync(
        StorageMode mode, Action<Dictionary<string, string?>>? configure = null)
    {
        var mqs = await FakeMqs.StartAsync();
        try
        {
            var server = await WmsServer.StartAsync(mode, s =>
            {
                s["MQS_ADDRESS"] = mqs.BaseAddress.ToString();
                configure?.Invoke(s);
            });
            return new LifecycleHost(server, mqs);
        }
        catch
        {
            await mqs.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a WMS on its embedded MQS.</summary>
    public static async Task<LifecycleHost> StartEmbeddedAsync(
        StorageMode mode, Action<Dictionary<string, string?>>? configure = null) =>
        new(await WmsServer.StartAsync(mode, s =>
        {
            s["MQS_ADDRESS"] = null;
            configure?.Invoke(s);
        }), null);

    public SimulatedTms TmsAt(string schedd) => schedd == WmsServer.AlphaSchedd ? Alpha : Beta;

    /// <summary>Polls the taskforce until <paramref name="condition"/> holds; fails the test at the deadline.</summary>
    public async Task<JsonObject> WaitForTaskforceAsync(string uuid, Func<JsonObject, bool> condition, string what)
    {
        JsonObject? last = null;
        var reached = await Poll.UntilAsync(async () =>
        {
            last = await User.TaskforceAsync(uuid);
            return condition(last);
        }, Deadline);
        Assert.True(reached, $"taskforce {uuid} never got {what}; last seen: {last?.ToJsonString()}");
        return last!;
    }

    public Task<JsonObject> WaitForPhaseAsync(string uuid, string phase) =>
        WaitForTaskforceAsync(uuid, tf => Flow.PhaseOf(tf) == phase, $"to phase '{phase}'");

    public async Task WaitForPhaseAsync(IEnumerable<string> uuids, string phase)
    {
        foreach (var uuid in uuids)
        {
            await WaitForPhaseAsync(uuid, phase);
        }
    }

    /// <summary>Polls the workflow until <paramref name="condition"/> holds; fails the test at the deadline.</summary>
    public async Task<JsonObject> WaitForWorkflowAsync(string workflowId, Func<JsonObject, bool> condition, string what)
    {
        JsonObject? last = null;
        var reached = await Poll.UntilAsync(async () =>
        {
            last = await User.WorkflowAsync(workflowId);
            return condition(last);
        }, Deadline);
        Assert.True(reached, $"workflow {workflowId} never got {what}; last seen: {last?.ToJsonString()}");
        return last!;
    }

    /// <summary>Creates a workflow and waits until the TMS may start all its taskforces.</summary>
    public async Task<JsonObject> CreateStartableAsync(JsonObject request)
    {
        var created = await User.CreateWorkflowAsync(request);
        await WaitForPhaseAsync(Flow.TaskforceUuids(created), Flow.PendingStarter);
        return created;
    }

    /// <summary>Submits the taskforce at its own schedd the way the TMS does; returns the cluster id.</summary>
    public async Task<long> SubmitAsync(string uuid)
    {
        var taskforce = await User.TaskforceAsync(uuid);
        var tms = TmsAt(taskforce["schedd"]!.GetValue<string>());
        var clusterId = tms.AllocateClusterId();
        var answer = await tms.SubmitAsync(uuid, clusterId, 3);
        Flow.AssertJson(new JsonObject { ["taskforce_uuid"] = uuid }, answer.Body);
        return clusterId;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        if (Mqs is not null)
        {
            await Mqs.DisposeAsync();
        }
    }
}
