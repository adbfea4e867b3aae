using System.Text;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Domain.Rules;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Outcomes;
using Wms.Grains.Tests.Support;
using Wms.Testing;

namespace Wms.Grains.Tests.Cluster;

[Collection(FastClusterCollection.Name)]
public sealed class MqActivationLoopTests(FastCluster cluster)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ActivationMovesEveryTaskforceToPreLaunchWithItsQueueEnvironment()
    {
        var id = Build.WorkflowId();
        var created = await Workflow(id).CreateNewAsync(Build.Workflow(
            Build.Task([Build.Alpha, Build.Beta], inputs: ["a", "b"], outputs: ["c"]),
            Build.Task([Build.Alpha], inputs: ["c"], outputs: [])));

        Assert.True(await Poll.UntilAsync(async () => (await Workflow(id).GetAsync())?.MqActivatedTs is not null, Deadline));

        var workflow = (await Workflow(id).GetAsync())!;
        Assert.Null(workflow.MqActivationRetryAtTs);
        var activation = Assert.Single(cluster.Mqs.Activations(id));
        Assert.Equal(10, activation.Priority);
        var profiles = cluster.Mqs.ReservedProfiles(id).ToDictionary(p => p.Alias);
        foreach (var planned in created.Taskforces)
        {
            var tf = (await Taskforce(planned.TaskforceUuid).GetAsync())!;
            var moved = tf.PhaseChangeLog.Single(e => e.TargetPhase == Phase.PreLaunch);
            Assert.True(moved.WasSuccessful);
            Assert.Equal(SourceEntity.WorkflowMqActivator, moved.SourceEntity);
            Assert.Equal(Phase.PreMqActivation, tf.PhaseChangeLog[0].TargetPhase);
            Assert.Same(moved, tf.PhaseChangeLog[1]);
            var env = tf.PilotConfig.Environment;
            if (tf.TaskId == created.TaskDirectives[0].TaskId)
            {
                string[] inputs = [profiles["a"].MqId, profiles["b"].MqId];
                Assert.Equal(ConfigValue.Of([.. inputs]), env["EWMS_PILOT_QUEUE_INCOMING"]);
                Assert.Equal(ConfigValue.Of([.. inputs.Select(ScriptedMqsClient.TokenFor)]),
                    env["EWMS_PILOT_QUEUE_INCOMING_AUTH_TOKEN"]);
                Assert.Equal(ConfigValue.Of([ScriptedMqsClient.BrokerType, ScriptedMqsClient.BrokerType]),
                    env["EWMS_PILOT_QUEUE_INCOMING_BROKER_TYPE"]);
                Assert.Equal(ConfigValue.Of([ScriptedMqsClient.BrokerAddress, ScriptedMqsClient.BrokerAddress]),
                    env["EWMS_PILOT_QUEUE_INCOMING_BROKER_ADDRESS"]);
                Assert.Equal(ConfigValue.Of([profiles["c"].MqId]), env["EWMS_PILOT_QUEUE_OUTGOING"]);
            }
            else
            {
                Assert.Equal(ConfigValue.Of([profiles["c"].MqId]), env["EWMS_PILOT_QUEUE_INCOMING"]);
                Assert.DoesNotContain(env.Keys, k => k.StartsWith("EWMS_PILOT_QUEUE_OUTGOING", StringComparison.Ordinal));
            }
            Assert.Equal(ConfigValue.Of("user value"), env["USER_VAR"]);
        }
        // Launch control takes them on from there.
        Assert.True(await Poll.UntilAsync(async () => await AllInPhaseAsync(created.Taskforces, Phase.PendingStarter), Deadline));
    }

    [Fact]
    public async Task ActivatesDueRetriesFirstThenHigherPriorityThenOlderAndMovesOnAfterTryAgainLater()
    {
        // The loop held where it reads its queue; nothing is activated meanwhile.
        var stall = await StallTheLoopAsync();

        var retry = Build.WorkflowId();
        cluster.Mqs.Script(retry, ScriptedMqsClient.TryAgainLater, ScriptedMqsClient.TryAgainLater);
        await Workflow(retry).CreateNewAsync(Build.Workflow(0, Build.Task([Build.Alpha])));
        var beforeTry = TimeProvider.System.EpochSeconds();
        var outcome = await Workflow(retry).ActivateMqAsync();
        Assert.Equal(ActivationKind.TryAgainLater, outcome.Kind);
        var retryAt = Assert.IsType<double>(outcome.RetryAtTs);
        Assert.InRange(retryAt, beforeTry + 0.5, TimeProvider.System.EpochSeconds() + 0.5);
        Assert.Equal(retryAt, (await Workflow(retry).GetAsync())!.MqActivationRetryAtTs);
        var retryJson = Encoding.UTF8.GetString((await cluster.Index.GetJsonAsync(ObjectKind.Workflow, retry))!);
        Assert.Contains("\"_mq_activation_retry_at_ts\":", retryJson);

        var low = Build.WorkflowId();
        await Workflow(low).CreateNewAsync(Build.Workflow(20, Build.Task([Build.Alpha])));
        var highOld = Build.WorkflowId();
        await Workflow(highOld).CreateNewAsync(Build.Workflow(90, Build.Task([Build.Alpha])));
        var highNew = Build.WorkflowId();
        await Workflow(highNew).CreateNewAsync(Build.Workflow(90, Build.Task([Build.Beta])));

        // Let the retry fall due before the loop looks again.
        Assert.True(await Poll.UntilAsync(() => TimeProvider.System.EpochSeconds() > retryAt + 0.05, Deadline));
        var released = cluster.Mqs.Calls.Count;
        stall.Release();

        string[] ours = [retry, low, highOld, highNew];
        Assert.True(await Poll.UntilAsync(async () => await AllActivatedAsync(ours), Deadline));
        var order = cluster.Mqs.Calls.Skip(released)
            .Where(c => c.Kind == MqsSeamCall.Activation && ours.Contains(c.WorkflowId))
            .Select(c => c.WorkflowId).ToList();
        // The four were started together, the due retry first (the strict order of the starts is checked by
        // MqActivationWindowTests): several activations are in flight at once, so they reach the MQS in any order.
        // The retry's second try-again-later did not stop the round, and its third attempt came after everyone else.
        Assert.Equal(5, order.Count);
        Assert.Equal(new[] { retry, highOld, highNew, low }.Order(), order.Take(4).Order());
        Assert.Equal(retry, order[4]);
        var activated = (await Workflow(retry).GetAsync())!;
        Assert.Null(activated.MqActivationRetryAtTs);
        var activatedJson = Encoding.UTF8.GetString((await cluster.Index.GetJsonAsync(ObjectKind.Workflow, retry))!);
        Assert.DoesNotContain("_mq_activation_retry_at_ts", activatedJson);
        Assert.Equal(3, cluster.Mqs.Activations(retry).Count);
    }

    [Fact]
    public async Task AnMqsFailureBacksOffAndTheWorkflowIsActivatedOnceTheMqsRecovers()
    {
        var id = Build.WorkflowId();
        cluster.Mqs.Script(id, ScriptedMqsClient.Fail("connection refused"), ScriptedMqsClient.Fail("timed out"),
            ScriptedMqsClient.Fail("503"));
        await Workflow(id).CreateNewAsync(Build.Workflow(Build.Task([Build.Alpha])));

        Assert.True(await Poll.UntilAsync(async () => (await Workflow(id).GetAsync())?.MqActivationRetryAtTs is not null, Deadline));
        var waiting = (await Workflow(id).GetAsync())!;
        Assert.Null(waiting.MqActivatedTs);

        Assert.True(await Poll.UntilAsync(async () => (await Workflow(id).GetAsync())?.MqActivatedTs is not null, Deadline));
        var calls = cluster.Mqs.Activations(id);
        Assert.Equal(4, calls.Count);
        for (var i = 1; i < calls.Count; i++)
        {
            // Back-off: never hammered, at least the retry wait (0.5 s) between attempts, less timer slack.
            Assert.True(calls[i].At - calls[i - 1].At >= TimeSpan.FromMilliseconds(400),
                $"attempt {i + 1} came {(calls[i].At - calls[i - 1].At).TotalMilliseconds} ms after the previous one");
        }
        var done = (await Workflow(id).GetAsync())!;
        Assert.Null(done.MqActivationRetryAtTs);
        Assert.Null(done.Deactivated);
    }

    [Fact]
    public async Task DeactivatedWorkflowsAreNeverActivated()
    {
        var stall = await StallTheLoopAsync();

        var aborted = Build.WorkflowId();
        var abortedCreation = await Workflow(aborted).CreateNewAsync(Build.Workflow(100, Build.Task([Build.Alpha, Build.Beta])));
        var later = Build.WorkflowId();
        await Workflow(later).CreateNewAsync(Build.Workflow(0, Build.Task([Build.Alpha])));
        Assert.Equal(2, (await Workflow(aborted).DeactivateAsync(Deactivation.Aborted)).NTaskforces);
        stall.Release();

        // The aborted workflow is older and of higher priority: had it been a candidate, it would have gone first.
        Assert.True(await Poll.UntilAsync(async () => await AllActivatedAsync([later]), Deadline));
        Assert.Empty(cluster.Mqs.Activations(aborted));
        var workflow = (await Workflow(aborted).GetAsync())!;
        Assert.Null(workflow.MqActivatedTs);
        Assert.Equal(Deactivation.Aborted, workflow.Deactivated);
        Assert.True(await AllInPhaseAsync(abortedCreation.Taskforces, Phase.PendingStopper));
        Assert.DoesNotContain(aborted, await cluster.Index.ActivationCandidatesAsync(double.MaxValue, 10_000));
    }

    private IWorkflowGrain Workflow(string id) => cluster.Client.GetGrain<IWorkflowGrain>(id);

    private async Task<CandidatesHold> StallTheLoopAsync()
    {
        var hold = cluster.Index.HoldActivationCandidates();
        await cluster.Client.GetGrain<IMqActivatorGrain>(0).KickAsync();
        Assert.True(await Poll.UntilAsync(() => hold.Waiting, Deadline));
        return hold;
    }

    private ITaskforceGrain Taskforce(string uuid) => cluster.Client.GetGrain<ITaskforceGrain>(uuid);

    private async Task<bool> AllActivatedAsync(IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            if ((await Workflow(id).GetAsync())?.MqActivatedTs is null)
            {
                return false;
            }
        }
        return true;
    }

    private async Task<bool> AllInPhaseAsync(IEnumerable<TaskforceDocument> taskforces, string phase)
    {
        foreach (var tf in taskforces)
        {
            if ((await Taskforce(tf.TaskforceUuid).GetAsync())?.Phase != phase)
            {
                return false;
            }
        }
        return true;
    }
}
