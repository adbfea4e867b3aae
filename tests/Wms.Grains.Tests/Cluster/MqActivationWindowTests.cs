using Wms.Domain.Model;
using Wms.Domain.Rules;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Outcomes;
using Wms.Grains.Loops;
using Wms.Grains.Tests.Support;
using Wms.Testing;

namespace Wms.Grains.Tests.Cluster;

/// <summary>
/// The MQ activator with several activations in flight: the order they start in, the bound on how many, and what an
/// MQS failure or an exception in the window does to the round. Every test first stalls the loop where it reads its
/// queue, so that it finds the whole backlog when it reads on.
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
        var stall = await StallTheLoopAsync();

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
        stall.Release();

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
    public async Task AnMqsFailureBacksOffOnlyItsWorkflowAndTheWindowGoesOn()
    {
        await WaitUntilNothingAwaitsActivationAsync();
        var held = new HeldActivations();
        var stall = await StallTheLoopAsync();
        // The oldest of equals, so first in the order: its first activation fails like an unreachable MQS, its
        // second is granted.
        var failing = Build.WorkflowId();
        cluster.Mqs.Script(failing, held.Step(failing, failWith: "connection refused"));
        var backlog = await HeldBacklogAsync(held, 2 * Window, failing);
        var expected = await ContractOrderAsync(backlog);
        Assert.Equal(failing, expected[0]);
        var ours = expected.ToHashSet();
        var since = LastSequence();
        stall.Release();
        Assert.True(await Poll.UntilAsync(() => Arrivals(since, ours).Count == Window, Deadline));
        Assert.Equal(expected.Take(Window).Order(), Arrivals(since, ours).Order());

        held.Release(failing);
        // The failure frees its slot for the next in the order at once: the round goes on.
        Assert.True(await Poll.UntilAsync(() => Arrivals(since, ours).Count == Window + 1, Deadline));
        Assert.Equal(expected[Window], Arrivals(since, ours)[Window]);
        var failedAt = cluster.Mqs.Activations(failing)[0].At;
        var retryAt = (await Workflow(failing).GetAsync())!.MqActivationRetryAtTs;
        Assert.NotNull(retryAt);

        held.ReleaseAll();
        Assert.True(await Poll.UntilAsync(() => AllActivatedAsync(expected), Deadline));
        // The failed workflow was tried again on its own back-off (the first is 0.5 s here: the retry wait caps it),
        // and everyone else once.
        var retried = cluster.Mqs.Activations(failing);
        Assert.Equal(2, retried.Count);
        Assert.True(retried[1].At - failedAt >= TimeSpan.FromMilliseconds(450),
            $"the retry came {(retried[1].At - failedAt).TotalMilliseconds} ms after the failure");
        Assert.All(expected.Skip(1), id => Assert.Single(cluster.Mqs.Activations(id)));
    }

    [Fact]
    public async Task WhenEveryActivationFailsTheLoopGoesQuietThenProbesWithAWorkflowThatNeverFailed()
    {
        await WaitUntilNothingAwaitsActivationAsync();
        var failing = new List<string>();
        for (var i = 0; i < Window; i++)
        {
            var id = Build.WorkflowId();
            cluster.Mqs.Script(id, [.. Enumerable.Repeat(ScriptedMqsClient.Fail("connection refused"), 1000)]);
            // High priority, so that their due retries come first in the order.
            await Workflow(id).CreateNewAsync(Build.Workflow(100, Build.Task([Build.Alpha])));
            failing.Add(id);
        }
        Assert.True(await Poll.UntilAsync(() => failing.All(id => cluster.Mqs.Activations(id).Count >= 1), Deadline));
        var lastFailure = failing.Max(id => cluster.Mqs.Activations(id)[0].At);

        var healthy = Build.WorkflowId();
        await Workflow(healthy).CreateNewAsync(Build.Workflow(0, Build.Task([Build.Alpha])));

        Assert.True(await Poll.UntilAsync(async () => await AllActivatedAsync([healthy]), Deadline));
        var probe = Assert.Single(cluster.Mqs.Activations(healthy));
        // Quiet first: the MQS looked down after a window of failures in a row ...
        Assert.True(probe.At - lastFailure >= UnpacedCluster.FailureBackoff * 0.9,
            $"the probe came {(probe.At - lastFailure).TotalMilliseconds} ms after the last failure");
        // ... then one probe, the workflow that never failed, ahead of the failed ones' due retries.
        Assert.DoesNotContain(cluster.Mqs.Calls, c => c.Kind == MqsSeamCall.Activation && failing.Contains(c.WorkflowId)
            && c.At > lastFailure && c.Sequence < probe.Sequence);
        foreach (var id in failing)
        {
            await Workflow(id).DeactivateAsync(Deactivation.Aborted);
        }
        // The next test finds the MQS answering: a success after the failures tells the loop so.
        var last = Build.WorkflowId();
        await Workflow(last).CreateNewAsync(Build.Workflow(Build.Task([Build.Alpha])));
        Assert.True(await Poll.UntilAsync(async () => await AllActivatedAsync([last]), Deadline));
    }

    [Fact]
    public async Task AnExceptionInTheWindowLetsTheOthersFinishAndALaterRoundGoesOn()
    {
        await WaitUntilNothingAwaitsActivationAsync();
        var held = new HeldActivations();
        var stall = await StallTheLoopAsync();
        var backlog = await HeldBacklogAsync(held, 2 * Window);
        var expected = await ContractOrderAsync(backlog);
        // Its queues are granted, but publishing the activated workflow fails, so its grain call throws.
        var broken = expected[1];
        cluster.Index.FailNextWriteOf(broken);
        var ours = expected.ToHashSet();
        var since = LastSequence();
        stall.Release();
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
    /// The loop held where it reads its queue: it reads the whole backlog, in the contract's order, only when the
    /// hold is released.
    /// </summary>
    private async Task<CandidatesHold> StallTheLoopAsync()
    {
        var hold = cluster.Index.HoldActivationCandidates();
        await cluster.Client.GetGrain<IMqActivatorGrain>(0).KickAsync();
        Assert.True(await Poll.UntilAsync(() => hold.Waiting, Deadline));
        return hold;
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
