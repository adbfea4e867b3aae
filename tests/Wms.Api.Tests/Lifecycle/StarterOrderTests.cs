using Wms.Api.Tests.Infrastructure;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.Lifecycle;

public abstract class StarterOrderTests
{
    protected abstract StorageMode Mode { get; }

    [Fact]
    public async Task TheStarterIsOfferedHigherWorkerPriorityFirstThenTheOlder()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        // Created oldest first: a low priority one, then two of equal, higher priority.
        var low = await host.CreateStartableAsync(Workflow([Task([Alpha], ["in"], ["out"], workerPriority: 5)]));
        var older = await host.CreateStartableAsync(Workflow([Task([Alpha], ["in"], ["out"], workerPriority: 50)]));
        var newer = await host.CreateStartableAsync(Workflow([Task([Alpha], ["in"], ["out"], workerPriority: 50)]));
        var expected = new[] { older, newer, low }.Select(w => TaskforceUuids(w).Single()).ToList();
        var timestamps = new[] { low, older, newer }.Select(w => Number(w["taskforces"]![0]!["timestamp"])).ToList();
        Assert.Equal(timestamps.Order(), timestamps);

        var offered = new List<string>();
        for (var i = 0; i < expected.Count; i++)
        {
            var next = Text((await host.Alpha.PollPendingStarterAsync())!["taskforce_uuid"]);
            offered.Add(next);
            await host.SubmitAsync(next);
        }
        Assert.Equal(expected, offered);
        Assert.Null(await host.Alpha.PollPendingStarterAsync());
        Assert.Null(await host.Beta.PollPendingStarterAsync());
    }
}

public sealed class StarterOrderTestsInMemory : StarterOrderTests
{
    protected override StorageMode Mode => StorageMode.Memory;
}

public sealed class StarterOrderTestsOnPostgres : StarterOrderTests
{
    protected override StorageMode Mode => StorageMode.Postgres;
}
