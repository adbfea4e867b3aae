using Wms.Domain.Model;
using Wms.Grains.Rules;
using Wms.Grains.Tests.Support;

namespace Wms.Grains.Tests.Rules;

public sealed class WorkflowPlannerTests
{
    private const double Now = 1_712_345_678.125;

    [Fact]
    public void RebuildingFromTheRequestAndTasksGivesTheCreatedObjectsByteForByte()
    {
        var id = Ids.NewWorkflowId(DateTimeOffset.FromUnixTimeSeconds(1_712_345_678));
        // A repeated location, a user environment, a caller and no n_workers: every input the documents hold.
        var spec = Build.Workflow(7,
            Build.Task([Build.Alpha, Build.Beta, Build.Alpha], inputs: ["x"], outputs: ["y"]),
            Build.Task([Build.Beta], inputs: ["y"], outputs: [], nWorkers: null)) with
        { CreatedBy = "alice" };
        MqProfile[] profiles =
        [
            new() { MqId = "mq-x", Alias = "x" }, new() { MqId = "mq-y", Alias = "y" },
            new() { MqId = "mq-in", Alias = "in-q", IsPublic = true },
        ];
        var (creation, tasks) = WorkflowPlanner.Plan(id, spec, profiles, Now);
        // Add-workers appends uuids to a task; those taskforces are not part of the creation.
        tasks[0].TaskforceUuids.Add(Ids.NewTaskforceUuid(tasks[0].TaskId));

        var rebuilt = WorkflowPlanner.Rebuild(creation.Workflow, spec, tasks);

        Assert.Equal(creation.TaskDirectives.Select(WireJson.ToUtf8), rebuilt.TaskDirectives.Select(WireJson.ToUtf8));
        Assert.Equal(creation.Taskforces.Select(WireJson.ToUtf8), rebuilt.Taskforces.Select(WireJson.ToUtf8));
        Assert.Equal(4, rebuilt.Taskforces.Count);
    }

    [Fact]
    public void PlansOneDirectivePerTaskAndOneTaskforcePerTaskAndLocation()
    {
        var id = Ids.NewWorkflowId(DateTimeOffset.FromUnixTimeSeconds(1_712_345_678));
        var spec = Build.Workflow(33,
            Build.Task([Build.Alpha, Build.Beta], workerPriority: 4, inputs: ["x"], outputs: ["y"]),
            Build.Task([Build.Beta], inputs: ["y"], outputs: ["z"], nWorkers: null),
            Build.Task([Build.Alpha, Build.Beta, Build.UniqueLocation()], inputs: [], outputs: []));
        MqProfile[] profiles =
        [
            new() { MqId = "mq-x", Alias = "x" }, new() { MqId = "mq-y", Alias = "y" },
            new() { MqId = "mq-z", Alias = "z" }, new() { MqId = "mq-in", Alias = "in-q", IsPublic = true },
        ];

        var (creation, tasks) = WorkflowPlanner.Plan(id, spec, profiles, Now);

        Assert.StartsWith($"WF-{1_712_345_678:x}-", id);
        Assert.Equal(new WorkflowDocument { WorkflowId = id, Timestamp = Now, Priority = 33 }, creation.Workflow);
        Assert.Equal(3, creation.TaskDirectives.Count);
        Assert.Equal(6, creation.Taskforces.Count);
        Assert.Equal(3, tasks.Count);
        Assert.Equal(creation.Taskforces.Count, creation.Taskforces.Select(t => t.TaskforceUuid).Distinct().Count());
        Assert.Equal(3, creation.TaskDirectives.Select(t => t.TaskId).Distinct().Count());

        for (var i = 0; i < spec.Tasks.Count; i++)
        {
            var td = creation.TaskDirectives[i];
            Assert.True(Ids.IsTaskId(td.TaskId), td.TaskId);
            Assert.StartsWith("TK-" + id[3..] + "-", td.TaskId);
            Assert.Equal(id, td.WorkflowId);
            Assert.Equal(Now, td.Timestamp);
            Assert.Equal(spec.Tasks[i].ClusterLocations.Select(l => l.Name), td.ClusterLocations);
            Assert.Equal(tasks[i].TaskId, td.TaskId);
            Assert.Equal(i, tasks[i].SpecIndex);
            Assert.Equal(td.InputQueues, tasks[i].InputQueues);
            Assert.Equal(td.OutputQueues, tasks[i].OutputQueues);

            var made = creation.Taskforces.Where(tf => tf.TaskId == td.TaskId).ToList();
            Assert.Equal(tasks[i].TaskforceUuids, made.Select(tf => tf.TaskforceUuid));
            Assert.Equal(spec.Tasks[i].ClusterLocations.Select(l => (l.Collector, l.Schedd)),
                made.Select(tf => (tf.Collector, tf.Schedd)));
            Assert.All(made, tf =>
            {
                Assert.True(Ids.IsTaskforceUuid(tf.TaskforceUuid), tf.TaskforceUuid);
                Assert.StartsWith("TF-" + td.TaskId[3..] + "-", tf.TaskforceUuid);
                Assert.Equal(id, tf.WorkflowId);
                Assert.Equal(Now, tf.Timestamp);
                Assert.Equal(spec.Tasks[i].NWorkers, tf.NWorkers);
                Assert.Same(spec.Tasks[i].WorkerConfig, tf.WorkerConfig);
                Assert.Equal(Phase.PreMqActivation, tf.Phase);
                var entry = Assert.Single(tf.PhaseChangeLog);
                Assert.Equal((Phase.PreMqActivation, Now, true, SourceEntity.User, "During initial workflow creation."),
                    (entry.TargetPhase, entry.Timestamp, entry.WasSuccessful, entry.SourceEntity, entry.Description));
                Assert.Equal(ConfigValue.Of(spec.Tasks[i].TaskImage), tf.PilotConfig.Environment["EWMS_PILOT_TASK_IMAGE"]);
                Assert.Null(tf.ClusterId);
                Assert.Empty(tf.SubmitDict);
                Assert.Empty(tf.CompoundStatuses);
                Assert.Empty(tf.TopTaskErrors);
            });
        }
        Assert.Equal(["mq-x"], creation.TaskDirectives[0].InputQueues);
        Assert.Equal(["mq-y"], creation.TaskDirectives[0].OutputQueues);
        Assert.Equal(["mq-y"], creation.TaskDirectives[1].InputQueues);
        Assert.Equal(["mq-z"], creation.TaskDirectives[1].OutputQueues);
        Assert.Empty(creation.TaskDirectives[2].InputQueues);
        Assert.Empty(creation.TaskDirectives[2].OutputQueues);
    }

    [Fact]
    public void RefusesAnAliasTheReservationDidNotReturn()
    {
        var spec = Build.Workflow(Build.Task([Build.Alpha], inputs: ["known"], outputs: ["missing"]));
        Assert.Throws<InvalidOperationException>(() =>
            WorkflowPlanner.Plan(Build.WorkflowId(), spec, [new MqProfile { MqId = "m", Alias = "known" }], Now));
    }

    [Fact]
    public void IdsAreFreshAndShapedLikeTheirParents()
    {
        var wf = Ids.NewWorkflowId(DateTimeOffset.UtcNow);
        var tk = Ids.NewTaskId(wf);
        var tf = Ids.NewTaskforceUuid(tk);

        Assert.True(Ids.IsWorkflowId(wf));
        Assert.True(Ids.IsTaskId(tk));
        Assert.True(Ids.IsTaskforceUuid(tf));
        Assert.False(Ids.IsTaskId(wf));
        Assert.False(Ids.IsWorkflowId(tk));
        Assert.False(Ids.IsTaskforceUuid(tk));
        Assert.Equal(wf[3..], tk[3..^9]);
        Assert.Equal(tk[3..], tf[3..^9]);
        Assert.NotEqual(tk, Ids.NewTaskId(wf));
        Assert.False(Ids.IsWorkflowId("WF-../../etc"));
        Assert.False(Ids.IsWorkflowId(wf.ToUpperInvariant()));
    }
}
