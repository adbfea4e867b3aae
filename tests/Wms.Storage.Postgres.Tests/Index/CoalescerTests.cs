using System.Collections.Concurrent;

namespace Wms.Storage.Postgres.Tests.Index;

/// <summary>
/// The grouping of concurrent writes on its own, with a commit the test holds and releases at will, so that which
/// items share a group is certain rather than a matter of timing.
/// </summary>
public sealed class CoalescerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WritesThatArriveDuringACommitShareTheNextOne()
    {
        var store = new HeldStore();
        await using var coalescer = store.Coalescer(maxGroupSize: 100, maxGroupsInFlight: 1);

        var first = coalescer.SubmitAsync(0, CancellationToken.None);
        await store.Started(0).WaitAsync(Deadline);
        var waiting = Enumerable.Range(1, 9).Select(i => coalescer.SubmitAsync(i, CancellationToken.None)).ToList();
        Assert.False(first.IsCompleted);

        store.Release(0);
        await first.WaitAsync(Deadline);
        await store.Started(1).WaitAsync(Deadline);
        // Committed only when their own commit is: nobody returns before the data is there.
        Assert.All(waiting, t => Assert.False(t.IsCompleted));
        store.Release(1);
        await Task.WhenAll(waiting).WaitAsync(Deadline);

        Assert.Equal([[0], [1, 2, 3, 4, 5, 6, 7, 8, 9]], store.Groups);
    }

    [Fact]
    public async Task AGroupHoldsAtMostTheBoundButAnOversizedItemStillGoesAlone()
    {
        var store = new HeldStore(size: i => i == 7 ? 10 : 1);
        store.ReleaseAllFrom(1);
        await using var coalescer = store.Coalescer(maxGroupSize: 4, maxGroupsInFlight: 1);

        var first = coalescer.SubmitAsync(0, CancellationToken.None);
        await store.Started(0).WaitAsync(Deadline);
        var rest = Enumerable.Range(1, 10).Select(i => coalescer.SubmitAsync(i, CancellationToken.None)).ToList();
        store.Release(0);
        await Task.WhenAll(rest.Append(first)).WaitAsync(Deadline);

        Assert.Equal([[0], [1, 2, 3, 4], [5, 6], [7], [8, 9, 10]], store.Groups);
    }

    [Fact]
    public async Task NoMoreGroupsThanAllowedAreInFlight()
    {
        var store = new HeldStore();
        await using var coalescer = store.Coalescer(maxGroupSize: 100, maxGroupsInFlight: 2);

        var a = coalescer.SubmitAsync(0, CancellationToken.None);
        await store.Started(0).WaitAsync(Deadline);
        // The first group is held, so a second one starts beside it.
        var b = coalescer.SubmitAsync(1, CancellationToken.None);
        await store.Started(1).WaitAsync(Deadline);
        var c = coalescer.SubmitAsync(2, CancellationToken.None);
        var d = coalescer.SubmitAsync(3, CancellationToken.None);
        Assert.Equal(2, store.Groups.Count);

        store.Release(1);
        await b.WaitAsync(Deadline);
        await store.Started(2).WaitAsync(Deadline);
        Assert.Equal([[0], [1], [2, 3]], store.Groups);
        Assert.False(a.IsCompleted);
        store.Release(0);
        store.Release(2);
        await Task.WhenAll(a, c, d).WaitAsync(Deadline);
        Assert.Equal(2, store.MostInFlight);
    }

    [Fact]
    public async Task AFailedCommitFailsExactlyTheCallersInItsGroup()
    {
        var store = new HeldStore();
        await using var coalescer = store.Coalescer(maxGroupSize: 100, maxGroupsInFlight: 1);

        var first = coalescer.SubmitAsync(0, CancellationToken.None);
        await store.Started(0).WaitAsync(Deadline);
        var doomed = new[] { coalescer.SubmitAsync(1, CancellationToken.None), coalescer.SubmitAsync(2, CancellationToken.None) };
        store.Release(0);
        await store.Started(1).WaitAsync(Deadline);
        var later = new[] { coalescer.SubmitAsync(3, CancellationToken.None), coalescer.SubmitAsync(4, CancellationToken.None) };
        var failure = new InvalidOperationException("the store is gone");
        store.Fail(1, failure);
        await store.Started(2).WaitAsync(Deadline);
        store.Release(2);

        await first.WaitAsync(Deadline);
        foreach (var task in doomed)
        {
            Assert.Same(failure, await Assert.ThrowsAsync<InvalidOperationException>(() => task.WaitAsync(Deadline)));
        }
        await Task.WhenAll(later).WaitAsync(Deadline);
        Assert.Equal([[0], [1, 2], [3, 4]], store.Groups);
    }

    [Fact]
    public async Task AGroupTheStoreRefusedIsRetriedItemByItemSoOnlyTheBadItemFails()
    {
        var refusal = new InvalidOperationException("item 2 is refused");
        var store = new HeldStore(refuse: i => i == 2 ? refusal : null);
        store.ReleaseAllFrom(1);
        await using var coalescer = store.Coalescer(maxGroupSize: 100, maxGroupsInFlight: 1);

        var first = coalescer.SubmitAsync(0, CancellationToken.None);
        await store.Started(0).WaitAsync(Deadline);
        var group = Enumerable.Range(1, 3).Select(i => coalescer.SubmitAsync(i, CancellationToken.None)).ToList();
        store.Release(0);

        await Task.WhenAll(first, group[0], group[2]).WaitAsync(Deadline);
        // The caller sees the store's own error, as it would have with a transaction of its own.
        Assert.Same(refusal, await Assert.ThrowsAsync<InvalidOperationException>(() => group[1].WaitAsync(Deadline)));
        Assert.Equal([[0], [1, 2, 3], [1], [2], [3]], store.Groups);
        Assert.Equal([0, 1, 3], store.Committed.Order());
    }

    [Fact]
    public async Task ARefusedItemAloneFailsWithTheStoresError()
    {
        var refusal = new InvalidOperationException("refused");
        var store = new HeldStore(refuse: _ => refusal);
        store.ReleaseAllFrom(0);
        await using var coalescer = store.Coalescer(maxGroupSize: 100, maxGroupsInFlight: 1);

        Assert.Same(refusal, await Assert.ThrowsAsync<InvalidOperationException>(
            () => coalescer.SubmitAsync(0, CancellationToken.None).WaitAsync(Deadline)));
        Assert.Equal([[0]], store.Groups);
    }

    [Fact]
    public async Task ACallerCancelledWhileWaitingIsDroppedAndTheOthersAreWritten()
    {
        var store = new HeldStore();
        store.ReleaseAllFrom(1);
        await using var coalescer = store.Coalescer(maxGroupSize: 100, maxGroupsInFlight: 1);

        var first = coalescer.SubmitAsync(0, CancellationToken.None);
        await store.Started(0).WaitAsync(Deadline);
        using var cancel = new CancellationTokenSource();
        var before = coalescer.SubmitAsync(1, CancellationToken.None);
        var cancelled = coalescer.SubmitAsync(2, cancel.Token);
        var after = coalescer.SubmitAsync(3, CancellationToken.None);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Deadline));

        store.Release(0);
        await Task.WhenAll(first, before, after).WaitAsync(Deadline);
        Assert.Equal([[0], [1, 3]], store.Groups);
    }

    [Fact]
    public async Task ACallerCancelledDuringItsCommitStopsWaitingButCannotAbortTheOthers()
    {
        var store = new HeldStore();
        await using var coalescer = store.Coalescer(maxGroupSize: 100, maxGroupsInFlight: 1);
        using var cancel = new CancellationTokenSource();

        var first = coalescer.SubmitAsync(100, CancellationToken.None);
        await store.Started(0).WaitAsync(Deadline);
        var cancelled = coalescer.SubmitAsync(0, cancel.Token);
        var other = coalescer.SubmitAsync(1, CancellationToken.None);
        store.Release(0);
        await store.Started(1).WaitAsync(Deadline);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Deadline));
        Assert.False(other.IsCompleted);

        store.Release(1);
        await Task.WhenAll(first, other).WaitAsync(Deadline);
        Assert.Equal([[100], [0, 1]], store.Groups);
        Assert.Equal([0, 1, 100], store.Committed.Order());
    }

    [Fact]
    public async Task AnAlreadyCancelledTokenWritesNothing()
    {
        var store = new HeldStore();
        await using var coalescer = store.Coalescer(maxGroupSize: 100, maxGroupsInFlight: 1);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => coalescer.SubmitAsync(0, new CancellationToken(canceled: true)));
        Assert.Empty(store.Groups);
    }

    [Fact]
    public async Task ACommitThatThrowsAtOnceFailsItsCallersAndTheLoopGoesOn()
    {
        var calls = 0;
        await using var coalescer = new Coalescer<int>(
            _ => Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("at once") : Task.CompletedTask,
            _ => 1, maxGroupSize: 10, maxGroupsInFlight: 1);

        await Assert.ThrowsAsync<InvalidOperationException>(() => coalescer.SubmitAsync(0, CancellationToken.None).WaitAsync(Deadline));
        await coalescer.SubmitAsync(1, CancellationToken.None).WaitAsync(Deadline);
    }

    [Fact]
    public async Task DisposeWaitsForAcceptedWritesAndRefusesNewOnes()
    {
        var store = new HeldStore();
        await using var held = store.Coalescer(maxGroupSize: 100, maxGroupsInFlight: 1);
        var coalescer = held.Inner;
        var accepted = coalescer.SubmitAsync(0, CancellationToken.None);
        var queued = coalescer.SubmitAsync(1, CancellationToken.None);
        await store.Started(0).WaitAsync(Deadline);

        var disposing = coalescer.DisposeAsync().AsTask();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => coalescer.SubmitAsync(2, CancellationToken.None));
        Assert.False(disposing.IsCompleted);
        store.ReleaseAllFrom(0);
        await disposing.WaitAsync(Deadline);
        Assert.True(accepted.IsCompletedSuccessfully);
        Assert.True(queued.IsCompletedSuccessfully);
        Assert.Equal([0, 1], store.Committed.Order());
    }

    [Fact]
    public async Task ManyConcurrentWritersAreEachCommittedExactlyOnce()
    {
        var committed = new ConcurrentBag<int>();
        var inFlight = 0;
        var mostInFlight = 0;
        var groups = 0;
        await using var coalescer = new Coalescer<int>(async items =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref mostInFlight, now);
            Interlocked.Increment(ref groups);
            await Task.Yield();
            foreach (var item in items)
            {
                committed.Add(item);
            }
            Interlocked.Decrement(ref inFlight);
        }, _ => 1, maxGroupSize: 50, maxGroupsInFlight: 3);

        const int writers = 64;
        const int each = 200;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
            {
                await coalescer.SubmitAsync(w * each + i, CancellationToken.None);
            }
        }))).WaitAsync(Deadline);

        Assert.Equal(Enumerable.Range(0, writers * each), committed.Order());
        Assert.InRange(mostInFlight, 1, 3);
        Assert.InRange(groups, writers * each / 50, writers * each);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var before = Interlocked.CompareExchange(ref target, value, seen);
            if (before == seen)
            {
                return;
            }
            seen = before;
        }
    }

    /// <summary>A coalescer over a held store; disposing it releases whatever the test still holds, so a failed
    /// assertion ends the test instead of leaving it waiting for a commit.</summary>
    private sealed class Held(HeldStore store, Coalescer<int> inner) : IAsyncDisposable
    {
        public Coalescer<int> Inner => inner;

        public Task SubmitAsync(int item, CancellationToken cancellationToken) => inner.SubmitAsync(item, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            store.ReleaseAllFrom(0);
            await inner.DisposeAsync().AsTask().WaitAsync(Deadline);
        }
    }

    /// <summary>
    /// A store whose commits wait for the test: group number n (in the order commits began) completes when the
    /// test releases or fails it. Items the refuse function names make a group of several refused as a whole.
    /// </summary>
    private sealed class HeldStore(Func<int, int>? size = null, Func<int, Exception?>? refuse = null)
    {
        private readonly Lock _gate = new();
        private readonly List<TaskCompletionSource> _started = [];
        private readonly List<TaskCompletionSource> _finish = [];
        private readonly List<int> _committed = [];
        private int _releaseFrom = int.MaxValue;
        private int _inFlight;

        private readonly List<int[]> _groups = [];

        /// <summary>The items of each commit, in the order the commits began (retries included).</summary>
        public List<int[]> Groups
        {
            get
            {
                lock (_gate)
                {
                    return [.. _groups];
                }
            }
        }

        public int MostInFlight { get; private set; }

        public int[] Committed
        {
            get
            {
                lock (_gate)
                {
                    return [.. _committed];
                }
            }
        }

        public Held Coalescer(int maxGroupSize, int maxGroupsInFlight) =>
            new(this, new Coalescer<int>(CommitAsync, size ?? (_ => 1), maxGroupSize, maxGroupsInFlight));

        public Task Started(int group) => Slot(_started, group).Task;

        public void Release(int group) => Slot(_finish, group).TrySetResult();

        public void Fail(int group, Exception error) => Slot(_finish, group).TrySetException(error);

        /// <summary>Every group from this number on completes as soon as it starts.</summary>
        public void ReleaseAllFrom(int group)
        {
            lock (_gate)
            {
                _releaseFrom = group;
                for (var i = group; i < _finish.Count; i++)
                {
                    _finish[i].TrySetResult();
                }
            }
        }

        private async Task CommitAsync(IReadOnlyList<int> items)
        {
            int number;
            lock (_gate)
            {
                number = _groups.Count;
                _groups.Add([.. items]);
                MostInFlight = Math.Max(MostInFlight, ++_inFlight);
                if (number >= _releaseFrom)
                {
                    Slot(_finish, number).TrySetResult();
                }
            }
            Slot(_started, number).TrySetResult();
            try
            {
                await Slot(_finish, number).Task;
                if (items.Select(i => refuse?.Invoke(i)).FirstOrDefault(e => e is not null) is { } refusal)
                {
                    throw new RefusedGroupException(refusal);
                }
                lock (_gate)
                {
                    _committed.AddRange(items);
                }
            }
            finally
            {
                lock (_gate)
                {
                    _inFlight--;
                }
            }
        }

        private TaskCompletionSource Slot(List<TaskCompletionSource> slots, int number)
        {
            lock (_gate)
            {
                while (slots.Count <= number)
                {
                    slots.Add(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                }
                return slots[number];
            }
        }
    }
}
