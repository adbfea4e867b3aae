using Wms.Domain.Model;
using Wms.Domain.Rules;
using Wms.Grains.Tests.Support;

namespace Wms.Grains.Tests.Rules;

public sealed class SelectionOrderTests
{
    private static TaskforceSelectionKeys Keys(
        string uuid, long priority = 10, int submitFailures = 0, int rmFailures = 0, double timestamp = 100,
        string phase = Phase.PendingStarter, bool hasCluster = false, int taskforcePriority = 10) =>
        new(uuid, "C", "S", phase, priority, submitFailures, rmFailures, hasCluster, timestamp, taskforcePriority);

    [Fact]
    public void StarterOrderIsHighestPriorityThenFewestFailuresThenOldest()
    {
        TaskforceSelectionKeys[] expected =
        [
            Keys("a", priority: 20, submitFailures: 2, timestamp: 500),
            Keys("b", priority: 10, submitFailures: 0, timestamp: 400),
            Keys("c", priority: 10, submitFailures: 1, timestamp: 100),
            Keys("d", priority: 10, submitFailures: 1, timestamp: 200),
            Keys("e", priority: 10, submitFailures: 1, timestamp: 200),
            Keys("f", priority: 0, timestamp: 1),
        ];
        Assert.Equal(expected.Select(k => k.Uuid),
            expected.Reverse().Order(TaskforceSelection.StarterOrder).Select(k => k.Uuid));
    }

    [Fact]
    public void StopperOrderIsOldestFirstWhateverThePriority()
    {
        TaskforceSelectionKeys[] expected =
        [
            Keys("a", priority: 0, timestamp: 1), Keys("b", priority: 99, timestamp: 2), Keys("c", timestamp: 2),
        ];
        Assert.Equal(expected.Select(k => k.Uuid),
            expected.Reverse().Order(TaskforceSelection.StopperOrder).Select(k => k.Uuid));
    }

    [Fact]
    public void LaunchOrderIsHighestPriorityThenOldestIgnoringFailures()
    {
        TaskforceSelectionKeys[] expected =
        [
            Keys("a", priority: 50, submitFailures: 5, timestamp: 300),
            Keys("b", priority: 10, timestamp: 100),
            Keys("c", priority: 10, submitFailures: 0, timestamp: 200),
            Keys("d", priority: -1, timestamp: 0),
        ];
        Assert.Equal(expected.Select(k => k.Uuid),
            expected.Reverse().Order(TaskforceSelection.LaunchOrder).Select(k => k.Uuid));
    }

    [Fact]
    public void LaunchOrderPutsTaskforcePriorityBeforeWorkerPriority()
    {
        TaskforceSelectionKeys[] expected =
        [
            Keys("a", priority: 0, taskforcePriority: 150, timestamp: 300),
            Keys("b", priority: 90, taskforcePriority: 50, timestamp: 200),
            Keys("c", priority: 10, taskforcePriority: 50, timestamp: 100),
            Keys("d", priority: 99, taskforcePriority: 10, timestamp: 0),
        ];
        Assert.Equal(expected.Select(k => k.Uuid),
            expected.Reverse().Order(TaskforceSelection.LaunchOrder).Select(k => k.Uuid));
    }

    [Fact]
    public void ScheddStarterOrderIsTaskforcePriorityThenFewestFailuresThenOldestIgnoringWorkerPriority()
    {
        TaskforceSelectionKeys[] expected =
        [
            Keys("a", priority: 0, taskforcePriority: 150, submitFailures: 2, timestamp: 300),
            Keys("b", priority: 0, taskforcePriority: 50, submitFailures: 0, timestamp: 200),
            Keys("c", priority: 99, taskforcePriority: 50, submitFailures: 1, timestamp: 100),
            Keys("d", priority: 0, taskforcePriority: 50, submitFailures: 1, timestamp: 150),
            Keys("e", priority: 99, taskforcePriority: 10, timestamp: 0),
        ];
        Assert.Equal(expected.Select(k => k.Uuid),
            expected.Reverse().Order(TaskforceSelection.ScheddStarterOrder).Select(k => k.Uuid));
    }

    [Theory]
    [InlineData(Phase.PendingStarter, 0, true)]
    [InlineData(Phase.PendingStarter, 2, true)]
    [InlineData(Phase.PendingStarter, 3, false)]
    [InlineData(Phase.PreLaunch, 0, false)]
    [InlineData(Phase.CondorSubmit, 0, false)]
    public void StartableIsPendingStarterWithAtMostTheAllowedFailures(string phase, int failures, bool startable) =>
        Assert.Equal(startable, TaskforceSelection.IsStartable(Keys("x", phase: phase, submitFailures: failures), 2));

    [Theory]
    [InlineData(Phase.PendingStopper, true, 0, true)]
    [InlineData(Phase.PendingStopper, true, 2, true)]
    [InlineData(Phase.PendingStopper, true, 3, false)]
    [InlineData(Phase.PendingStopper, false, 0, false)]
    [InlineData(Phase.CondorSubmit, true, 0, false)]
    [InlineData(Phase.CondorRm, true, 0, false)]
    public void StoppableIsPendingStopperWithAClusterAndAtMostTheAllowedFailures(
        string phase, bool hasCluster, int failures, bool stoppable) =>
        Assert.Equal(stoppable,
            TaskforceSelection.IsStoppable(Keys("x", phase: phase, hasCluster: hasCluster, rmFailures: failures), 2));

    [Fact]
    public void SelectionKeysCountFailuresPerActionFromTheLog()
    {
        var tf = Build.Taskforce(Phase.PendingStarter, workerPriority: 7, timestamp: 123, clusterId: 4);
        tf = TaskforceTransitions.CondorSubmitFailed(tf, "a", 1)!;
        tf = TaskforceTransitions.CondorSubmitFailed(tf, "b", 2)!;
        tf = TaskforceTransitions.CondorRmFailed(tf, "c", 3);

        var keys = TaskforceSelectionKeys.From(tf);

        Assert.Equal((tf.TaskforceUuid, tf.Collector, tf.Schedd, Phase.PendingStarter, 7L, 2, 1, true, 123d),
            (keys.Uuid, keys.Collector, keys.Schedd, keys.Phase, keys.Priority, keys.SubmitFailures, keys.RmFailures,
                keys.HasClusterId, keys.Timestamp));
    }

    [Fact]
    public void ActivationOrderIsRetriesFirstThenHigherPriorityThenOlder()
    {
        ActivationKeys[] expected =
        [
            new("WF-a", 0, 900, 50),
            new("WF-b", 0, 950, 10),
            new("WF-c", 90, 300, null),
            new("WF-d", 90, 400, null),
            new("WF-e", 10, 100, null),
        ];
        Assert.Equal(expected.Select(k => k.WorkflowId),
            expected.Reverse().Order(ActivationOrder.Order).Select(k => k.WorkflowId));
    }

    [Fact]
    public void OnlyWorkflowsNeitherActivatedNorDeactivatedAreWaitingAndARetryIsDueAtItsTime()
    {
        var waiting = new WorkflowDocument { WorkflowId = "WF-1-00000000", Timestamp = 5, Priority = 3 };
        Assert.NotNull(ActivationKeys.From(waiting));
        Assert.Null(ActivationKeys.From(waiting with { MqActivatedTs = 6 }));
        Assert.Null(ActivationKeys.From(waiting with { Deactivated = Deactivation.Aborted, DeactivatedTs = 6 }));
        Assert.Null(ActivationKeys.From(waiting with { Deactivated = Deactivation.Finished, DeactivatedTs = 6 }));

        var fresh = ActivationKeys.From(waiting)!;
        Assert.True(fresh.IsDue(0));
        Assert.Equal(double.NegativeInfinity, fresh.DueAt);
        var retry = ActivationKeys.From(waiting with { MqActivationRetryAtTs = 100 })!;
        Assert.False(retry.IsDue(99.9));
        Assert.True(retry.IsDue(100));
        Assert.Equal(100, retry.DueAt);
    }
}
