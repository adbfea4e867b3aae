using Wms.Api.Tests.Infrastructure;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.Lifecycle;

/// <summary>
/// A workflow without queues is legal, and the MQS refuses to reserve none (500 or 400, by era): such a workflow
/// asks the MQS nothing and runs.
/// </summary>
public abstract class QueuelessWorkflowTests
{
    protected abstract StorageMode Mode { get; }

    [Fact]
    public async Task AWorkflowWithoutQueuesAsksTheMqsNothingAndReachesPendingStarter()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var mqs = host.FakeMqs;
        // As the MQS of this era answers an empty reservation.
        mqs.FailReservationsWith(500);

        var created = await host.User.CreateWorkflowAsync(Workflow([Task([Alpha, Beta], [], [])]));
        var taskforces = TaskforceUuids(created);
        await host.WaitForPhaseAsync(taskforces, PendingStarter);

        Assert.NotNull((await host.User.WorkflowAsync(WorkflowId(created)))["mq_activated_ts"]);
        foreach (var uuid in taskforces)
        {
            var environment = (await host.User.TaskforceAsync(uuid))["pilot_config"]!["environment"]!.AsObject();
            Assert.DoesNotContain(environment, e => e.Key.StartsWith("EWMS_PILOT_QUEUE_", StringComparison.Ordinal));
        }
        var directive = await host.User.TaskDirectiveAsync(TaskIds(created).Single());
        AssertJson(Strings([]), directive["input_queues"]);
        AssertJson(Strings([]), directive["output_queues"]);
        Assert.Empty(mqs.Calls);
    }
}

public sealed class QueuelessWorkflowTestsInMemory : QueuelessWorkflowTests
{
    protected override StorageMode Mode => StorageMode.Memory;
}

public sealed class QueuelessWorkflowTestsOnPostgres : QueuelessWorkflowTests
{
    protected override StorageMode Mode => StorageMode.Postgres;
}
