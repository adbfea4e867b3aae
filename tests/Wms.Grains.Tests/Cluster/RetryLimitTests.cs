using System.Text.Json.Nodes;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Outcomes;
using Wms.Grains.Tests.Support;

namespace Wms.Grains.Tests.Cluster;

[Collection(FastClusterCollection.Name)]
public sealed class RetryLimitTests(FastCluster cluster)
{
    [Fact]
    public async Task AfterMoreFailedSubmitsThanTheRetriesTheTmsIsNoLongerOfferedTheTaskforce()
    {
        var pool = Build.UniqueLocation();
        var tf = Build.Taskforce(Phase.PendingStarter, pool);
        var grain = cluster.Client.GetGrain<ITaskforceGrain>(tf.TaskforceUuid);
        await grain.InitializeAsync(tf);
        var retries = cluster.Options.TmsActionRetries;
        Assert.Equal(2, retries);

        for (var failures = 0; failures <= retries; failures++)
        {
            Assert.Equal(tf.TaskforceUuid, await StarterAsync(pool));
            Assert.Equal(TmsOutcome.Applied, await grain.CondorSubmitFailedAsync($"attempt {failures + 1}"));
        }

        Assert.Null(await StarterAsync(pool));
        Assert.Equal(Phase.PendingStarter, (await grain.GetAsync())!.Phase);
        // Still in pending-starter, so a late submit from the TMS is still taken.
        Assert.Equal(TmsOutcome.Applied, await grain.CondorSubmitAsync(Build.Submission()));
    }

    [Fact]
    public async Task AFreshTaskforceIsOfferedBeforeOneThatFailedEvenWhenOlder()
    {
        var pool = Build.UniqueLocation();
        var older = Build.Taskforce(Phase.PendingStarter, pool, timestamp: 1_000);
        var younger = Build.Taskforce(Phase.PendingStarter, pool, timestamp: 2_000);
        await cluster.Client.GetGrain<ITaskforceGrain>(older.TaskforceUuid).InitializeAsync(older);
        await cluster.Client.GetGrain<ITaskforceGrain>(younger.TaskforceUuid).InitializeAsync(younger);
        Assert.Equal(older.TaskforceUuid, await StarterAsync(pool));

        await cluster.Client.GetGrain<ITaskforceGrain>(older.TaskforceUuid).CondorSubmitFailedAsync("x");

        Assert.Equal(younger.TaskforceUuid, await StarterAsync(pool));
    }

    [Fact]
    public async Task AfterMoreFailedRemovalsThanTheRetriesTheTmsIsNoLongerAskedToStopIt()
    {
        var pool = Build.UniqueLocation();
        var tf = Build.Taskforce(Phase.PendingStopper, pool, clusterId: 555);
        var grain = cluster.Client.GetGrain<ITaskforceGrain>(tf.TaskforceUuid);
        await grain.InitializeAsync(tf);

        for (var failures = 0; failures <= cluster.Options.TmsActionRetries; failures++)
        {
            Assert.Equal(tf.TaskforceUuid, await StopperAsync(pool));
            Assert.Equal(TmsOutcome.Applied, await grain.CondorRmFailedAsync($"attempt {failures + 1}"));
        }

        Assert.Null(await StopperAsync(pool));
        Assert.Equal(Phase.PendingStopper, (await grain.GetAsync())!.Phase);
    }

    [Fact]
    public async Task APendingStopperWithoutAClusterIsNeverOffered()
    {
        var pool = Build.UniqueLocation();
        var tf = Build.Taskforce(Phase.PendingStopper, pool);
        await cluster.Client.GetGrain<ITaskforceGrain>(tf.TaskforceUuid).InitializeAsync(tf);

        Assert.Null(await StopperAsync(pool));
        Assert.Null(await StarterAsync(pool));
    }

    private async Task<string?> StarterAsync(ClusterLocation pool) =>
        Uuid(await cluster.Index.Inner.NextPendingStarterAsync(pool.Collector, pool.Schedd, cluster.Options.TmsActionRetries));

    private async Task<string?> StopperAsync(ClusterLocation pool) =>
        Uuid(await cluster.Index.Inner.NextPendingStopperAsync(pool.Collector, pool.Schedd, cluster.Options.TmsActionRetries));

    private static string? Uuid(byte[]? json) =>
        json is null ? null : JsonNode.Parse(json)!["taskforce_uuid"]!.GetValue<string>();
}
