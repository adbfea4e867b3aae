using Wms.Cli.Connection;
using Wms.Cli.Watch;

namespace Wms.Cli.Tests.Watch;

public sealed class WatchedWorkflowTests
{
    private const string Workflow = "WF-6b161af4-47cecad2";
    private const string First = "TF-6b161af4-47cecad2-c850658c-1a2b3c4d";
    private const string Second = "TF-6b161af4-47cecad2-c850658c-5e6f7a8b";

    private static string Summary(string uuid, string phase, string statuses = "{}", long? clusterId = null, int workers = 10) =>
        $$"""
        {"taskforce_uuid": "{{uuid}}", "task_id": "TK-6b161af4-47cecad2-c850658c", "workflow_id": "{{Workflow}}",
         "schedd": "sub-2.icecube.wisc.edu", "collector": "cm", "phase": "{{phase}}", "previous_phase": null,
         "change": "phase", "cluster_id": {{(clusterId is { } c ? c.ToString(System.Globalization.CultureInfo.InvariantCulture) : "null")}},
         "n_workers": {{workers}}, "compound_statuses": {{statuses}}, "top_task_errors": {}, "last_log": null, "timestamp": 1.0}
        """;

    private static ServerEvent Snapshot(params string[] taskforces) => new("e-1", "snapshot",
        $$"""{"workflow": {"workflow_id": "{{Workflow}}", "deactivated": null}, "taskforces": [{{string.Join(",", taskforces)}}], "resumed": false}""");

    [Fact]
    public void ASnapshotSetsEveryTaskforceAndTheWorkflowsState()
    {
        var watched = new WatchedWorkflow(Workflow);
        var lines = watched.Apply(Snapshot(Summary(First, "pre-launch"), Summary(Second, "pending-starter")));
        Assert.Equal([$"{Workflow}: active, 2 taskforce(s)"], lines);
        Assert.Equal([First, Second], watched.Taskforces.Select(t => t.Uuid));
        Assert.False(watched.IsDone);
    }

    [Fact]
    public void PhaseAndStatusChangesAreToldInWordsAndCounted()
    {
        var watched = new WatchedWorkflow(Workflow);
        watched.Apply(Snapshot(Summary(First, "pending-starter")));
        Assert.Equal([$"{First}: pending-starter → condor-submit"],
            watched.Apply(new ServerEvent("e-2", "taskforce", Summary(First, "condor-submit", clusterId: 5))));
        var lines = watched.Apply(new ServerEvent("e-3", "taskforce", Summary(First, "condor-submit",
            """{"RUNNING": {"Tasking": 6, "null": 1}, "HELD": {"null": 2}, "IDLE": {"null": 1}}""", clusterId: 5)));
        Assert.Equal([$"{First}: workers RUNNING: Tasking 6, null 1; HELD: null 2; IDLE: null 1"], lines);
        var taskforce = Assert.Single(watched.Taskforces);
        Assert.Equal((7, 2, 10, 10), (taskforce.Running, taskforce.Held, taskforce.Reported, taskforce.Goal));
    }

    [Fact]
    public void AnExplanationIsKeptAcrossLaterTaskforceEventsAndToldOnlyWhenItChanges()
    {
        var watched = new WatchedWorkflow(Workflow);
        watched.Apply(Snapshot(Summary(First, "pending-starter")));
        var explanation = $$"""{"taskforce_uuid": "{{First}}", "reason": "tms-not-polling", "message": "The TMS looks down."}""";
        Assert.Equal([$"{First}: The TMS looks down."], watched.Apply(new ServerEvent("e-2", "explain", explanation)));
        Assert.Empty(watched.Apply(new ServerEvent("e-3", "explain", explanation)));
        watched.Apply(new ServerEvent("e-4", "taskforce", Summary(First, "pending-starter", """{"IDLE": {"null": 1}}""")));
        Assert.Equal("tms-not-polling", Assert.Single(watched.Taskforces).Reason);
    }

    [Fact]
    public void TheWatchIsDoneWhenEveryTaskforceCompletedOrWasStoppedBeforeItHadACluster()
    {
        var watched = new WatchedWorkflow(Workflow);
        watched.Apply(Snapshot(Summary(First, "condor-submit", clusterId: 5), Summary(Second, "pre-launch")));
        watched.Apply(new ServerEvent("e-2", "taskforce", Summary(Second, "pending-stopper")));
        Assert.False(watched.IsDone);
        // A cluster in pending-stopper still has to be removed.
        watched.Apply(new ServerEvent("e-3", "taskforce", Summary(First, "pending-stopper", clusterId: 5)));
        Assert.False(watched.IsDone);
        watched.Apply(new ServerEvent("e-4", "taskforce", Summary(First, "condor-complete", clusterId: 5)));
        Assert.True(watched.IsDone);
    }

    [Fact]
    public void AWorkflowEventUpdatesTheState()
    {
        var watched = new WatchedWorkflow(Workflow);
        watched.Apply(Snapshot(Summary(First, "condor-submit", clusterId: 5)));
        var lines = watched.Apply(new ServerEvent("e-2", "workflow",
            $$"""{"workflow": {"workflow_id": "{{Workflow}}", "deactivated": "ABORTED", "deactivated_ts": 0}, "change": "deactivated"}"""));
        Assert.Equal([$"{Workflow}: deactivated (ABORTED at 1970-01-01 00:00:00Z)"], lines);
    }
}
