using Wms.Api.Tests.Infrastructure;
using Wms.Api.Tests.Lifecycle;
using Wms.Testing;
using static Wms.Api.Tests.Explain.Explained;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.Explain;

/// <summary>
/// In PostgreSQL mode the latest TMS poll of each schedd outlives the silo that served it: a restarted service still
/// explains a taskforce with the poll made before the restart.
/// </summary>
public sealed class ScheddPollPersistenceTests
{
    [Fact]
    public async Task APollServedBeforeARestartIsStillSeenAfterIt()
    {
        var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("wms_api");
        void Settings(Dictionary<string, string?> s)
        {
            s["MQS_ADDRESS"] = null;
            s["WMS_POSTGRES"] = database;
            // Written only when the silo stops: what the restarted one sees comes from that last write.
            s["WMS_EXPLAIN_POLL_FLUSH_INTERVAL"] = "250";
        }
        string uuid;
        double before, after, seen;
        await using (var first = await WmsServer.StartAsync(StorageMode.Postgres, Settings))
        {
            var user = new UserClient(first.Http);
            var created = await user.CreateWorkflowAsync(SimpleWorkflow(Alpha));
            uuid = TaskforceUuids(created).Single();
            await Poll.UntilAsync(async () => PhaseOf(await user.TaskforceAsync(uuid)) == PendingStarter, LifecycleHost.Deadline);
            var tms = new SimulatedTms(first.Http, WmsServer.AlphaCollector, WmsServer.AlphaSchedd, V0Schema.Shared);
            before = Now();
            Assert.NotNull(await tms.PollPendingStarterAsync());
            after = Now();
            var explained = await TaskforceAsync(user, uuid);
            Assert.Equal("waiting-for-tms", Reason(explained));
            seen = Number(Evidence(explained)["last_poll_ts"]);
            Assert.InRange(seen, before, after);
        }

        await using var second = await WmsServer.StartAsync(StorageMode.Postgres, Settings);
        var again = await TaskforceAsync(new UserClient(second.Http), uuid);
        Assert.Equal("waiting-for-tms", Reason(again));
        // Kept as epoch seconds: the same poll, to well within a microsecond.
        Assert.Equal(seen, Number(Evidence(again)["last_poll_ts"]), 6);
    }
}
