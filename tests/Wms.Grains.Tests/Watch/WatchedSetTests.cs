using Wms.Domain.Watch;

namespace Wms.Grains.Tests.Watch;

/// <summary>
/// The directory's bookkeeping: an id is watched until its lease ends, a renewal only ever extends it, an addition
/// says whether it is new (which the registry pushes to every silo), and what expired is pruned.
/// </summary>
public sealed class WatchedSetTests
{
    [Fact]
    public void AnEmptySetWatchesNothing()
    {
        var set = new WatchedSet();

        Assert.Equal(0, set.Count);
        Assert.False(set.Contains("WF-1", 0));
        Assert.Empty(set.Remaining(0));
    }

    [Fact]
    public void AnIdIsWatchedUntilItsLeaseEnds()
    {
        var set = new WatchedSet();

        Assert.True(set.Add("WF-1", until: 1_000, now: 0));

        Assert.True(set.Contains("WF-1", 999));
        Assert.False(set.Contains("WF-1", 1_000));
        Assert.False(set.Contains("WF-2", 0));
    }

    [Fact]
    public void ARenewalExtendsTheLeaseButNeverShortensIt()
    {
        var set = new WatchedSet();
        set.Add("WF-1", until: 1_000, now: 0);

        Assert.False(set.Add("WF-1", until: 2_000, now: 500));
        Assert.True(set.Contains("WF-1", 1_500));
        Assert.False(set.Add("WF-1", until: 1_200, now: 600));
        Assert.True(set.Contains("WF-1", 1_500));
    }

    [Fact]
    public void AnIdWhoseLeaseEndedIsNewAgain()
    {
        var set = new WatchedSet();
        set.Add("WF-1", until: 1_000, now: 0);

        Assert.True(set.Add("WF-1", until: 3_000, now: 2_000));
        Assert.True(set.Contains("WF-1", 2_500));
    }

    [Fact]
    public void AddingManyKeepsTheLaterEndOfEach()
    {
        var set = new WatchedSet();
        set.Add("WF-1", until: 5_000, now: 0);

        set.AddAll([KeyValuePair.Create("WF-1", 1_000L), KeyValuePair.Create("WF-2", 2_000L), KeyValuePair.Create("WF-2", 3_000L)]);

        Assert.Equal(2, set.Count);
        Assert.Equal(
            [KeyValuePair.Create("WF-1", 4_000L), KeyValuePair.Create("WF-2", 2_000L)],
            set.Remaining(1_000).OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void PruningDropsExactlyTheExpired()
    {
        var set = new WatchedSet();
        set.Add("WF-1", until: 1_000, now: 0);
        set.Add("WF-2", until: 2_000, now: 0);
        set.Add("WF-3", until: 3_000, now: 0);

        Assert.Equal(2, set.Prune(2_000));

        Assert.Equal(1, set.Count);
        Assert.Equal([KeyValuePair.Create("WF-3", 500L)], set.Remaining(2_500));
        Assert.Equal(0, set.Prune(2_500));
    }

    [Fact]
    public async Task AnIdOnceAddedStaysVisibleWhileOthersAreAdded()
    {
        var set = new WatchedSet();
        set.Add("WF-first", until: long.MaxValue, now: 0);
        var ids = Enumerable.Range(0, 2_000).Select(i => $"WF-{i}").ToList();
        using var stop = new CancellationTokenSource();
        var misses = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                // Writers replace the map as they add: a reader must never see one without an earlier id.
                if (!set.Contains("WF-first", 0))
                {
                    Interlocked.Increment(ref misses);
                }
            }
        });
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            foreach (var id in ids.Where((_, i) => i % 4 == w))
            {
                set.Add(id, until: long.MaxValue, now: 0);
            }
        })));
        await stop.CancelAsync();
        await reader;

        Assert.Equal(ids.Count + 1, set.Count);
        Assert.All(ids, id => Assert.True(set.Contains(id, 0), id));
        Assert.Equal(0, misses);
    }
}
