using Wms.Api.Tests.Infrastructure;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.Lifecycle;

/// <summary>
/// The TMS checks a taskforce's phase, then submits its HTCondor cluster. A user who aborts in between must not
/// leave a cluster running with nobody to remove it: the late submit is recorded, and the next pending-stopper
/// poll offers the cluster for removal.
/// </summary>
public abstract class AbortRacingSubmitTests
{
    protected abstract StorageMode Mode { get; }

    [Fact]
    public async Task ASubmitAfterAnAbortIsRecordedAndTheClusterIsRemoved()
    {
        await using var host = await LifecycleHost.StartEmbeddedAsync(Mode);
        var created = await host.CreateStartableAsync(SimpleWorkflow(Alpha));
        var uuid = TaskforceUuids(created).Single();
        var offered = await host.Alpha.PollPendingStarterAsync();
        Assert.Equal(uuid, Text(offered!["taskforce_uuid"]));
        // The TMS's last look before it submits: still pending-starter.
        Assert.Equal(PendingStarter, Text((await host.Alpha.GetTaskforceAsync(uuid)).Object!["phase"]));

        Assert.Equal(200, (await host.User.AbortAsync(WorkflowId(created))).Status);
        var clusterId = host.Alpha.AllocateClusterId();
        var submit = await host.Alpha.SubmitAsync(uuid, clusterId, 5);

        Assert.Equal(200, submit.StatusCode);
        var stopping = await host.User.TaskforceAsync(uuid);
        Assert.Equal(PendingStopper, PhaseOf(stopping));
        Assert.Equal(clusterId, stopping["cluster_id"]!.GetValue<long>());
        Assert.Equal(host.Alpha.JobEventLogFpathFor(clusterId), Text(stopping["job_event_log_fpath"]));
        var late = LogOf(stopping)[^1];
        Assert.Equal(("condor-submit", false, "TMS"),
            (Text(late["target_phase"]), late["was_successful"]!.GetValue<bool>(), Text(late["source_entity"])));

        var toStop = await host.Alpha.PollPendingStopperAsync();
        Assert.Equal(uuid, Text(toStop!["taskforce_uuid"]));
        Assert.Equal(clusterId, toStop["cluster_id"]!.GetValue<long>());
        Assert.Equal(200, (await host.Alpha.RmAsync(uuid)).StatusCode);
        Assert.Equal(200, (await host.Alpha.CompleteAsync(uuid, 1_700_000_000)).StatusCode);
        Assert.Equal("condor-complete", PhaseOf(await host.User.TaskforceAsync(uuid)));
        Assert.Null(await host.Alpha.PollPendingStopperAsync());
    }

    [Fact]
    public async Task ASubmitToATaskforceStoppedAfterItsOwnSubmitIsStillRefused()
    {
        await using var host = await LifecycleHost.StartEmbeddedAsync(Mode);
        var created = await host.CreateStartableAsync(SimpleWorkflow(Alpha));
        var uuid = TaskforceUuids(created).Single();
        Assert.Equal(200, (await host.Alpha.SubmitAsync(uuid, host.Alpha.AllocateClusterId(), 5)).StatusCode);
        Assert.Equal(200, (await host.User.AbortAsync(WorkflowId(created))).Status);

        var other = await host.Alpha.SubmitAsync(uuid, host.Alpha.AllocateClusterId(), 5, accept: [404]);

        Assert.Equal(404, other.StatusCode);
        Assert.Equal($"no 'pending-starter' taskforce found with uuid: {uuid}", Text(other.Object!["error"]));
    }
}

public sealed class AbortRacingSubmitTestsInMemory : AbortRacingSubmitTests
{
    protected override StorageMode Mode => StorageMode.Memory;
}

public sealed class AbortRacingSubmitTestsOnPostgres : AbortRacingSubmitTests
{
    protected override StorageMode Mode => StorageMode.Postgres;
}
