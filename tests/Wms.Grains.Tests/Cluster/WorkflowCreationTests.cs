using System.Text.Json;
using Wms.Domain.Commands;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Mqs;
using Wms.Grains.Tests.Support;

namespace Wms.Grains.Tests.Cluster;

[Collection(FastClusterCollection.Name)]
public sealed class WorkflowCreationTests(FastCluster cluster)
{
    [Fact]
    public async Task CreateMakesTheWorkflowItsDirectivesAndOneTaskforcePerTaskAndLocation()
    {
        var id = Build.WorkflowId();
        cluster.Mqs.Hold(id);
        var spec = Build.Workflow(42,
            Build.Task([Build.Alpha, Build.Beta], workerPriority: 5, inputs: ["in-q"], outputs: ["mid-q"]),
            Build.Task([Build.Beta], workerPriority: 7, inputs: ["mid-q"], outputs: ["out-q"], nWorkers: null));
        try
        {
            var before = cluster.Mqs.Calls.Count;
            var created = await cluster.Client.GetGrain<IWorkflowGrain>(id).CreateNewAsync(spec);

            Assert.Equal(id, created.Workflow.WorkflowId);
            Assert.Equal(42, created.Workflow.Priority);
            Assert.Null(created.Workflow.MqActivatedTs);
            Assert.Null(created.Workflow.Deactivated);
            Assert.Null(created.Workflow.DeactivatedTs);

            Assert.Equal(2, created.TaskDirectives.Count);
            Assert.All(created.TaskDirectives, td =>
            {
                Assert.True(Ids.IsTaskId(td.TaskId), td.TaskId);
                Assert.StartsWith("TK-" + id[3..] + "-", td.TaskId);
                Assert.Equal(id, td.WorkflowId);
                Assert.Equal(created.Workflow.Timestamp, td.Timestamp);
            });
            Assert.Equal(["test-alpha", "test-beta"], created.TaskDirectives[0].ClusterLocations);
            Assert.Equal(["test-beta"], created.TaskDirectives[1].ClusterLocations);

            // The queues are the reserved mqids, and the one queue shared by both tasks has one mqid.
            var reservation = Assert.Single(cluster.Mqs.Reservations(id));
            Assert.Equal(["in-q", "mid-q", "out-q"], reservation.QueueAliases.Order());
            Assert.Equal(["in-q"], reservation.PublicAliases);
            var mqid = cluster.Mqs.ReservedProfiles(id).ToDictionary(p => p.Alias, p => p.MqId);
            Assert.Equal([mqid["in-q"]], created.TaskDirectives[0].InputQueues);
            Assert.Equal([mqid["mid-q"]], created.TaskDirectives[0].OutputQueues);
            Assert.Equal([mqid["mid-q"]], created.TaskDirectives[1].InputQueues);
            Assert.Equal([mqid["out-q"]], created.TaskDirectives[1].OutputQueues);

            Assert.Equal(3, created.Taskforces.Count);
            (string, string, string)[] expected =
            [
                (created.TaskDirectives[0].TaskId, "COLLECTOR1", "SCHEDD1"),
                (created.TaskDirectives[0].TaskId, "COLLECTOR2", "SCHEDD2"),
                (created.TaskDirectives[1].TaskId, "COLLECTOR2", "SCHEDD2"),
            ];
            Assert.Equal(expected.Order(), created.Taskforces.Select(tf => (tf.TaskId, tf.Collector, tf.Schedd)).Order());
            Assert.All(created.Taskforces, tf =>
            {
                Assert.True(Ids.IsTaskforceUuid(tf.TaskforceUuid), tf.TaskforceUuid);
                Assert.StartsWith("TF-" + tf.TaskId[3..] + "-", tf.TaskforceUuid);
                Assert.Equal(Phase.PreMqActivation, tf.Phase);
                var entry = Assert.Single(tf.PhaseChangeLog);
                Assert.Equal(Phase.PreMqActivation, entry.TargetPhase);
                Assert.True(entry.WasSuccessful);
                Assert.Equal(SourceEntity.User, entry.SourceEntity);
                Assert.Equal("During initial workflow creation.", entry.Description);
                Assert.Null(entry.SourceEventTime);
                Assert.Null(tf.ClusterId);
                Assert.Equal("", tf.JobEventLogFpath);
                Assert.Equal("1.2.3", tf.PilotConfig.Tag);
                Assert.Equal(ConfigValue.Of("user value"), tf.PilotConfig.Environment["USER_VAR"]);
                Assert.Equal(ConfigValue.Of("/cvmfs/images/task:1"), tf.PilotConfig.Environment["EWMS_PILOT_TASK_IMAGE"]);
                Assert.False(tf.PilotConfig.Environment.ContainsKey("EWMS_PILOT_QUEUE_INCOMING"));
            });
            var second = created.Taskforces.Single(tf => tf.TaskId == created.TaskDirectives[1].TaskId);
            Assert.Null(second.NWorkers);
            Assert.Equal(7, second.WorkerConfig.Priority);
            Assert.All(created.Taskforces.Where(tf => tf != second), tf => Assert.Equal(3, tf.NWorkers));
            Assert.Single(cluster.Mqs.Calls.Skip(before), c => c.Kind == MqsSeamCall.Reservation);
        }
        finally
        {
            await cluster.Client.GetGrain<IWorkflowGrain>(id).DeactivateAsync(Deactivation.Aborted);
        }
    }

    [Fact]
    public async Task RepeatingTheSameSubmissionReservesNothingAndAnswersTheSameObjects()
    {
        var id = Build.WorkflowId();
        cluster.Mqs.Hold(id);
        var grain = cluster.Client.GetGrain<IWorkflowGrain>(id);
        try
        {
            var spec = Build.Workflow(Build.Task([Build.Alpha, Build.Beta]));
            var first = await grain.CreateNewAsync(spec);
            // Even a changed body under the same key is the same submission: nothing new is reserved or stored.
            var again = await grain.CreateNewAsync(Build.Workflow(77, Build.Task([Build.Alpha], nWorkers: 99)) with
            {
                SubmissionKey = spec.SubmissionKey,
            });

            Assert.Single(cluster.Mqs.Reservations(id));
            // The held activation may have set a retry time in between; nothing else may differ.
            Assert.Equal(Wire(first), Wire(again with { Workflow = again.Workflow with { MqActivationRetryAtTs = null } }));
            Assert.Equal(10, again.Workflow.Priority);
        }
        finally
        {
            await grain.DeactivateAsync(Deactivation.Aborted);
        }
    }

    [Fact]
    public async Task AnotherSubmissionThatDrewATakenIdIsRefusedAndSeesNothingOfTheFirst()
    {
        var id = Build.WorkflowId();
        cluster.Mqs.Hold(id);
        var grain = cluster.Client.GetGrain<IWorkflowGrain>(id);
        try
        {
            var first = await grain.CreateNewAsync(Build.Workflow(Build.Task([Build.Alpha, Build.Beta])));

            Assert.Null(await grain.CreateAsync(Build.Workflow(77, Build.Task([Build.Alpha], nWorkers: 99))));
            Assert.Single(cluster.Mqs.Reservations(id));
            var stored = await grain.GetAsync();
            Assert.Equal(first.Workflow.Priority, stored!.Priority);
        }
        finally
        {
            await grain.DeactivateAsync(Deactivation.Aborted);
        }
    }

    [Fact]
    public async Task TheNewObjectsAreIndexedInOneBatchBeforeCreateAnswers()
    {
        var id = Build.WorkflowId();
        cluster.Mqs.Hold(id);
        try
        {
            var created = await cluster.Client.GetGrain<IWorkflowGrain>(id)
                .CreateNewAsync(Build.Workflow(Build.Task([Build.Alpha, Build.Beta]), Build.Task([Build.Alpha])));

            var ids = new[] { id }
                .Concat(created.TaskDirectives.Select(td => td.TaskId))
                .Concat(created.Taskforces.Select(tf => tf.TaskforceUuid))
                .ToHashSet();
            var firstBatch = cluster.Index.Batches.First(b => RecordingObjectIndex.Ids(b).Overlaps(ids));
            Assert.Equal(ids, RecordingObjectIndex.Ids(firstBatch));

            Assert.NotNull(await cluster.Index.GetJsonAsync(ObjectKind.Workflow, id));
            foreach (var td in created.TaskDirectives)
            {
                Assert.NotNull(await cluster.Index.GetJsonAsync(ObjectKind.TaskDirective, td.TaskId));
            }
            foreach (var tf in created.Taskforces)
            {
                var json = await cluster.Index.GetJsonAsync(ObjectKind.Taskforce, tf.TaskforceUuid);
                Assert.NotNull(json);
                Assert.Equal(WireJson.ToUtf8(tf), json);
            }
        }
        finally
        {
            await cluster.Client.GetGrain<IWorkflowGrain>(id).DeactivateAsync(Deactivation.Aborted);
        }
    }

    [Fact]
    public async Task AFailedReservationIsNeverSentTwiceAndLeavesNothingBehind()
    {
        var id = Build.WorkflowId();
        cluster.Mqs.FailReservation(id, "MQS is down");
        var grain = cluster.Client.GetGrain<IWorkflowGrain>(id);
        var spec = Build.Workflow(Build.Task([Build.Alpha]));

        await Assert.ThrowsAsync<MqsException>(() => grain.CreateNewAsync(spec));
        await Assert.ThrowsAsync<MqsException>(() => grain.CreateNewAsync(spec));

        Assert.Single(cluster.Mqs.Reservations(id));
        Assert.Null(await grain.GetAsync());
        Assert.Null(await cluster.Index.GetJsonAsync(ObjectKind.Workflow, id));
        Assert.Empty(cluster.Index.BatchesWith(id));
        Assert.Null((await grain.DeactivateAsync(Deactivation.Aborted)).NTaskforces);
    }

    private static string Wire(WorkflowCreation creation) =>
        JsonSerializer.Serialize(creation, WireJson.Options.GetTypeInfo(typeof(WorkflowCreation)));
}
