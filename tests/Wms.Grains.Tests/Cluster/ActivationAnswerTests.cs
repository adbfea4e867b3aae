using Wms.Domain.Model;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Mqs;
using Wms.Grains.Tests.Support;
using Wms.Testing;

namespace Wms.Grains.Tests.Cluster;

/// <summary>
/// An MQS answer is judged before anything of it is stored: one that lacks queues is a failure with back-off, and
/// the next proper answer activates. A workflow without queues asks the MQS nothing and still runs.
/// </summary>
[Collection(FastClusterCollection.Name)]
public sealed class ActivationAnswerTests(FastCluster cluster)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public static TheoryData<string> BadAnswers => ["no queues", "a missing queue", "a queue twice"];

    [Theory]
    [MemberData(nameof(BadAnswers))]
    public async Task AnAnswerLackingQueuesIsAFailureAndTheNextProperOneActivates(string bad)
    {
        var id = Build.WorkflowId();
        ScriptedMqsClient.ActivationStep answer = bad switch
        {
            "no queues" => () => Task.FromResult<MqsActivation?>(new MqsActivation(false, [])),
            "a missing queue" => () => Task.FromResult<MqsActivation?>(new MqsActivation(false, [.. cluster.Mqs.ReservedProfiles(id).Skip(1)])),
            _ => () => Task.FromResult<MqsActivation?>(new MqsActivation(false,
                [.. cluster.Mqs.ReservedProfiles(id), cluster.Mqs.ReservedProfiles(id)[0] with { AuthToken = "the other one" }])),
        };
        cluster.Mqs.Script(id, answer, answer);
        var created = await Workflow(id).CreateNewAsync(Build.Workflow(Build.Task([Build.Alpha], inputs: ["in-q"], outputs: ["out-q"])));

        Assert.True(await Poll.UntilAsync(async () => (await Workflow(id).GetAsync())?.MqActivatedTs is not null, Deadline));
        var attempts = cluster.Mqs.Activations(id);
        Assert.Equal(3, attempts.Count);
        // Backed off between attempts, as for any MQS failure (0.5 s here, less timer slack).
        Assert.True(attempts[2].At - attempts[1].At >= TimeSpan.FromMilliseconds(400));
        var taskforce = await cluster.Client.GetGrain<ITaskforceGrain>(created.Taskforces[0].TaskforceUuid).GetAsync();
        var environment = taskforce!.PilotConfig.Environment;
        Assert.Equal(2, environment["EWMS_PILOT_QUEUE_INCOMING"].List!.Count + environment["EWMS_PILOT_QUEUE_OUTGOING"].List!.Count);
        Assert.DoesNotContain("", environment["EWMS_PILOT_QUEUE_INCOMING_AUTH_TOKEN"].List!);
    }

    [Fact]
    public async Task AWorkflowWithoutQueuesAsksTheMqsNothingAndRuns()
    {
        var id = Build.WorkflowId();
        var spec = Build.Workflow(Build.Task([Build.Alpha], inputs: [], outputs: [])) with { PublicQueueAliases = [] };

        var created = await Workflow(id).CreateNewAsync(spec);

        Assert.True(await Poll.UntilAsync(async () =>
            (await cluster.Client.GetGrain<ITaskforceGrain>(created.Taskforces[0].TaskforceUuid).GetAsync())!.Phase == Phase.PendingStarter,
            Deadline));
        Assert.Empty(cluster.Mqs.Reservations(id));
        Assert.Empty(cluster.Mqs.Activations(id));
        Assert.NotNull((await Workflow(id).GetAsync())!.MqActivatedTs);
        Assert.Empty(created.TaskDirectives[0].InputQueues);
        await Workflow(id).DeactivateAsync(Deactivation.Aborted);
    }

    private IWorkflowGrain Workflow(string id) => cluster.Client.GetGrain<IWorkflowGrain>(id);
}
