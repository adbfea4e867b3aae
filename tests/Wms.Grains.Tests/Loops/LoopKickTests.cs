using System.Reflection;
using Orleans.Concurrency;
using Wms.GrainInterfaces.Grains;
using Wms.Grains.Tests.Support;
using Wms.Testing;

namespace Wms.Grains.Tests.Loops;

/// <summary>
/// A kick is taken while a round runs (every submission kicks, and kicks queued behind a long round cost Orleans a
/// scan of the queue each), and it is never lost: a round that may have read its queue before the kicker's work was
/// stored is followed by another.
/// </summary>
[Collection(FastClusterCollection.Name)]
public sealed class LoopKickTests(FastCluster cluster)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private static long _nextKey = 1;

    [Fact]
    public async Task AKickDuringARoundIsTakenAtOnceAndMakesTheLoopLookAgain()
    {
        var key = Interlocked.Increment(ref _nextKey);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        GatedLoopGrain.Gates[key] = gate;
        var loop = cluster.Client.GetGrain<IGatedLoopGrain>(key);
        Assert.True(await Poll.UntilAsync(async () => await loop.RoundsAsync() == 1, Deadline));

        // The first round is held at its gate; the kick must not wait for it.
        var kick = loop.KickAsync();
        Assert.Same(kick, await Task.WhenAny(kick, Task.Delay(Deadline)));
        await kick;
        Assert.True(await loop.HasReminderAsync());

        gate.SetResult();
        Assert.True(await Poll.UntilAsync(async () => await loop.RoundsAsync() == 2, Deadline));
        // The second round found nothing either: the reminder goes, and the loop rests.
        Assert.True(await Poll.UntilAsync(async () => !await loop.HasReminderAsync(), Deadline));
    }

    [Theory]
    [InlineData(typeof(IMqActivatorGrain))]
    [InlineData(typeof(ILaunchControlGrain))]
    public void TheServicesLoopsTakeKicksDuringARound(Type loop)
    {
        var kick = loop.GetMethod(nameof(IMqActivatorGrain.KickAsync))!;
        Assert.NotNull(kick.GetCustomAttribute<AlwaysInterleaveAttribute>());
        Assert.NotNull(kick.GetCustomAttribute<OneWayAttribute>());
    }
}
