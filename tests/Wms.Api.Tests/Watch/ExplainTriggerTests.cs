using Wms.Api.Watch;
using Wms.Domain.Explain;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Watch;

namespace Wms.Api.Tests.Watch;

/// <summary>Which events make a watcher ask for explanations again: no cluster, the rule alone.</summary>
public sealed class ExplainTriggerTests
{
    private const string Uuid = "7a2f0c1e-5b9d-4e8a-9c3f-1d2e3f4a5b6c";

    private static TaskforceSummary Report(string phase = Phase.CondorSubmit, long? clusterId = 104501,
        int running = 0, int idle = 0, int held = 0, int errors = 0)
    {
        var statuses = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        foreach (var (status, n) in new[] { ("RUNNING", running), ("IDLE", idle), ("HELD", held) })
        {
            if (n > 0)
            {
                statuses[status] = new Dictionary<string, long>(StringComparer.Ordinal) { ["Tasking"] = n };
            }
        }
        return new TaskforceSummary
        {
            TaskforceUuid = Uuid,
            TaskId = "task",
            WorkflowId = "WF-6b161af4-47cecad2",
            Schedd = "schedd",
            Collector = "collector",
            Phase = phase,
            Change = "status",
            ClusterId = clusterId,
            CompoundStatuses = statuses,
            TopTaskErrors = errors > 0 ? new Dictionary<string, long> { ["OOM"] = errors } : [],
            Timestamp = 1_796_637_600,
        };
    }

    private static bool Asks(TaskforceSummary taskforce, string? explained) =>
        ExplainTrigger.CanChangeReason(WatchEvent.Of(taskforce),
            explained is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [Uuid] = explained });

    [Fact]
    public void AReportInTheStateExplainedDoesNotAsk()
    {
        Assert.False(Asks(Report(running: 9, idle: 1), ExplainReason.Running));
        Assert.False(Asks(Report(held: 4, running: 3, errors: 2), ExplainReason.WorkersHeld));
        Assert.False(Asks(Report(idle: 3), ExplainReason.WorkersIdle));
        Assert.False(Asks(Report(errors: 1), ExplainReason.NoActiveWorkers));
        Assert.False(Asks(Report(), ExplainReason.SubmittedNoReport));
    }

    [Fact]
    public void AReportThatMovesTheReasonAsks()
    {
        Assert.True(Asks(Report(held: 3, running: 3), ExplainReason.Running));
        Assert.True(Asks(Report(running: 1), ExplainReason.SubmittedNoReport));
        Assert.True(Asks(Report(idle: 2), ExplainReason.Running));
    }

    [Fact]
    public void WhatTheReportAloneCannotDecideAsks()
    {
        Assert.True(Asks(Report(running: 2), explained: null));
        Assert.True(Asks(Report(Phase.PendingStopper, running: 2), ExplainReason.Running));
        Assert.True(Asks(Report(Phase.PendingStarter, clusterId: null), ExplainReason.WaitingForTms));
        Assert.True(Asks(Report(clusterId: null, running: 2), ExplainReason.Running));
        var deactivated = WatchEvent.Of(new WorkflowDocument { WorkflowId = "WF-6b161af4-47cecad2", Timestamp = 1, Priority = 10 },
            WorkflowChange.Deactivated, 3, 2);
        Assert.True(ExplainTrigger.CanChangeReason(deactivated, new Dictionary<string, string> { [Uuid] = ExplainReason.Running }));
    }
}
