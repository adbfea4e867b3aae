using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Model;
using Wms.GrainInterfaces.Outcomes;
using Wms.Grains.Loops;
using Wms.Grains.Rules;
using Wms.Grains.Tests.Support;
using Wms.Testing;

namespace Wms.Grains.Tests.Cluster;

/// <summary>
/// The MQ activator with several activations in flight: the order they start in, the bound on how many, and what an
/// MQS failure or an exception in the window does to the round. Every test first stalls the loop inside one held
/// activation, so that it finds the whole backlog when it looks again.
/// </summary>
[Collection(UnpacedClusterCollection.Name)]
public sealed class MqActivationWindowTests(UnpacedCluster cluster)
{
    private const int Window = MqActivatorGrain.ActivationWindow;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(5);

    [Fact]
    public async Task StartsActivationsInTheContractsOrderWithAWindowOfThemInFlight()
    {
        await WaitUntilNothingAwaitsActivationAsync();
        var held = new HeldActivations();
        var blocker = await StallTheLoopAsync(held);

        var backlog = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            var id = Build.WorkflowId();
            cluster.Mqs.Script(id, held.Step(id));
            await Workflow(id).CreateNewAsync(Build.Workflow(i * 7 % 5 * 10, Build.Task([Build.Alpha])));
            backlog.Add(id);
        }
        // The newest and of the lowest priority, but a due retry: it must start first.
        var retry = Build.WorkflowId();
        cluster.Mqs.Script(retry, ScriptedMqsClient.TryAgainLater, held.Step(retry));
        await Workflow(retry).CreateNewAsync(Build.Workflow(0, Build.Task([Build.Alpha])));
        var tryAgain = await Workflow(retry).ActivateMqAsync();
        Assert.Equal(ActivationKind.TryAgainLater, tryAgain.Kind);
        Assert.True(await Poll.UntilAsync(() => TimeProvider.System.EpochSeconds() > tryAgain.RetryAtTs + 0.05, Deadline));

        var expected = new List<string> { retry };
        expected.AddRange(await ContractOrderAsync(backlog));
        var ours = expected.ToHashSet();
        var since = LastSequence();
        held.Release(blocker);

        // The first window: exactly the first ones in the contract's order, all at the MQS at once, and no more.
        Assert.True(await Poll.UntilAsync(() => Arrivals(since, ours).Count == Window, Deadline));
        Assert.False(await Poll.UntilAsync(() => Arrivals(since, ours).Count > Window, Quiet));
        Assert.Equal(expected.Take(Window).Order(), Arrivals(since, ours).Order());
        Assert.Equal(Window, held.Peak);

        // Each freed slot is taken by the next one in the order, so the starts follow it exactly.
        for (var next = Window; next < expected.Count; next++)
        {
            held.Release(Arrivals(since, ours)[next - Window]);
            Assert.True(await Poll.UntilAsync(() => Arrivals(since, ours).Count > next, Deadline, Step),
                $"start {next + 1} never came");
            Assert.Equal(expected[next], Arrivals(since, ours)[next]);
        }
        held.ReleaseAll();

        Assert.True(await Poll.UntilAsync(() => AllActivatedAsync(expected), Deadline));
        Assert.Equal(Window, held.Peak);
        Assert.All(backlog, id => Assert.Single(cluster.Mqs.Activations(id)));
        Assert.Equal(2, cluster.Mqs.Activations(retry).Count);
    }

    [Fact]
    public async Task AnMqsFailureInTheWindowEndsTheRoundBacksOffAndThenProbesOneAtATime()
    {
        await WaitUntilNothingAwaitsActivationAsync();
        var held = new HeldActivations();
        var blocker = await StallTheLoopAsync(held);
        // The oldest of equals, so first in the order: its first activation fails like an unreachable MQS, its
        // second is held like the others.
        var failing = Build.WorkflowId();
        cluster.Mqs.Script(failing, held.Step(failing, failWith: "connection refused"));
        var backlog = await HeldBacklogAsync(held, 2 * Window, failing);
        var expected = await ContractOrderAsync(backlog);
        Assert.Equal(failing, expected[0]);
        var ours = expected.ToHashSet();
        var since = LastSequence();
        held.Release(blocker);
        Assert.True(await Poll.UntilAsync(() => Arrivals(since, ours).Count == Window, Deadline));
        Assert.Equal(expected.Take(Window).Order(), Arrivals(since, ours).Order());

        held.Release(failing);
        Assert.True(await Poll.UntilAsync(
            async () => (await Workflow(failing).GetAsync())?.MqActivationRetryAtTs is not null, Deadline));
        // The round starts nothing more, although a slot is free and workflows wait ...
        Assert.False(await Poll.UntilAsync(() => Arrivals(since, ours).Count > Window, Quiet));
        // ... but the activations already at the MQS finish.
        var rest = Arrivals(since, ours).Where(id => id != failing).ToList();
        foreach (var id in rest)
        {
            held.Release(id);
        }
        Assert.True(await Poll.UntilAsync(() => AllActivatedAsync(rest), Deadline));
        var roundEnded = await LatestActivationAsync(rest);

        // After the back-off one probe, the failed workflow (its retry is due, so it goes first), and only one ...
        Assert.True(await Poll.UntilAsync(() => Arrivals(since, ours).Count == Window + 1, Deadline));
        var probe = cluster.Mqs.Activations(failing)[^1];
        Assert.Equal(2, cluster.Mqs.Activations(failing).Count);
        var waited = probe.At.ToUnixTimeMilliseconds() / 1000.0 - roundEnded;
        Assert.True(waited >= UnpacedCluster.FailureBackoff.TotalSeconds * 0.9,
            $"the probe came {waited:F3} s after the failed round ended");
        Assert.False(await Poll.UntilAsync(() => Arrivals(since, ours).Count > Window + 1, Quiet));

        // ... and once the MQS answers, the whole window again.
        held.Release(failing);
        Assert.True(await Poll.UntilAsync(() => Arrivals(since, ours).Count == 2 * Window + 1, Deadline));
        Assert.Equal(expected.Skip(Window).Order(), Arrivals(since, ours).Skip(Window + 1).Order());
        held.ReleaseAll();
        Assert.True(await Poll.UntilAsync(() => AllActivatedAsync(expected), Deadline));
        Assert.All(expected.Skip(1), id => Assert.Single(cluster.Mqs.Activations(id)));
    }

    [Fact]
    public async Task AnExceptionInTheWindowLetsTheOthersFinishAndALaterRoundGoesOn()
    {
        await WaitUntilNothingAwaitsActivationAsync();
        var held = new HeldActivations();
        var blocker = await StallTheLoopAsync(held);
        var backlog = await HeldBacklogAsync(held, 2 * Window);
        var expected = await ContractOrderAsync(backlog);
        // Its queues are granted, but publishing the activated workflow fails, so its grain call throws.
        var broken = expected[1];
        cluster.Index.FailNextWriteOf(broken);
        var ours = expected.ToHashSet();
        var since = LastSequence();
        held.Release(blocker);
        Assert.True(await Poll.UntilAsync(() => Arrivals(since, ours).Count == Window, Deadline));

        held.Release(broken);
        // The grain is not reentrant: once it answers a read, its failed activation call has returned.
        Assert.True(await Poll.UntilAsync(
            async () => (await Workflow(broken).GetAsync())?.MqActivatedTs is not null, Deadline));
        Assert.False(await Poll.UntilAsync(() => Arrivals(since, ours).Count > Window, Quiet));
        var rest = Arrivals(since, ours).Where(id => id != broken).ToList();
        foreach (var id in rest)
        {
            held.Release(id);
        }
        Assert.True(await Poll.UntilAsync(() => AllActivatedAsync(rest), Deadline));

        // The failed round is tried again and goes on with the others.
        Assert.True(await Poll.UntilAsync(() => Arrivals(since, ours).Count == 2 * Window, Deadline));
        Assert.Equal(expected.Skip(Window).Order(), Arrivals(since, ours).Skip(Window).Order());
        held.ReleaseAll();
        Assert.True(await Poll.UntilAsync(() => AllActivatedAsync(expected), Deadline));
        // Nobody's queues were activated twice, nor any workflow forgotten.
        Assert.All(expected, id => Assert.Single(cluster.Mqs.Activations(id)));
        Assert.Empty(await cluster.Index.ActivationCandidatesAsync(double.MaxValue, 1));
    }

    private IWorkflowGrain Workflow(string id) => cluster.Client.GetGrain<IWorkflowGrain>(id);

    /// <summary>Earlier tests leave nothing behind; wait until their last workflows are through.</summary>
    private async Task WaitUntilNothingAwaitsActivationAsync() =>
        Assert.True(await Poll.UntilAsync(
            async () => (await cluster.Index.ActivationCandidatesAsync(double.MaxValue, 1)).Count == 0, Deadline));

    /// <summary>
    /// A workflow whose activation waits at the MQS: the loop then waits for it alone, and reads the order afresh
    /// only when it is released.
    /// </summary>
    private async Task<string> StallTheLoopAsync(HeldActivations held)
    {
        var blocker = Build.WorkflowId();
        cluster.Mqs.Script(blocker, held.Step(blocker));
        await Workflow(blocker).CreateNewAsync(Build.Workflow(Build.Task([Build.Alpha])));
        Assert.True(await Poll.UntilAsync(() => cluster.Mqs.Activations(blocker).Count == 1, Deadline));
        return blocker;
    }

    /// <summary>Workflows of equal priority whose activations are held; the first takes the given id.</summary>
    private async Task<List<string>> HeldBacklogAsync(HeldActivations held, int count, string? firstId = null)
    {
        var backlog = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var id = i == 0 && firstId is not null ? firstId : Build.WorkflowId();
            cluster.Mqs.Script(id, held.Step(id));
            await Workflow(id).CreateNewAsync(Build.Workflow(Build.Task([Build.Alpha])));
            backlog.Add(id);
        }
        return backlog;
    }

    /// <summary>Higher priority first, then older (the id only breaks a tie of the clock).</summary>
    private async Task<List<string>> ContractOrderAsync(IEnumerable<string> ids)
    {
        var documents = new List<WorkflowDocument>();
        foreach (var id in ids)
        {
            documents.Add((await Workflow(id).GetAsync())!);
        }
        return documents.OrderByDescending(w => w.Priority).ThenBy(w => w.Timestamp)
            .ThenBy(w => w.WorkflowId, StringComparer.Ordinal).Select(w => w.WorkflowId).ToList();
    }

    private long LastSequence() => cluster.Mqs.Calls is [.., var last] ? last.Sequence : 0;

    /// <summary>Our workflows' activation calls after <paramref name="since"/>, in the order they reached the MQS.</summary>
    private List<string> Arrivals(long since, HashSet<string> ours) =>
        cluster.Mqs.Calls.Where(c => c.Sequence > since && c.Kind == MqsSeamCall.Activation && ours.Contains(c.WorkflowId))
            .Select(c => c.WorkflowId).ToList();

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

    private async Task<double> LatestActivationAsync(IEnumerable<string> ids)
    {
        var latest = double.MinValue;
        foreach (var id in ids)
        {
            latest = Math.Max(latest, (await Workflow(id).GetAsync())!.MqActivatedTs!.Value);
        }
        return latest;
    }
}
