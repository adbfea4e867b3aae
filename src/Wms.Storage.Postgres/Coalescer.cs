// Shared by the query index (its writes and its reads) and the grain storage (its writes): each sends concurrent
// work to PostgreSQL in fewer round trips.
namespace Wms.Storage.Postgres;

/// <summary>
/// Groups concurrent items, writes or reads: while a group is being committed, new items wait, and the next group
/// commits all the waiting ones at once (up to <c>maxGroupSize</c>, with at most <c>maxGroupsInFlight</c> groups at a time). Each
/// caller's task completes when the commit holding its item did, and fails when that commit failed.
/// </summary>
/// <remarks>
/// The commit runs on no caller's token, so one caller's cancellation cannot abort the others' writes. A caller
/// cancelled while its item still waits has it dropped; once its group has taken the item, the caller stops waiting
/// but the item may still be written, as any write cancelled mid-commit may be.
/// </remarks>
internal sealed class Coalescer<T> : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<T>, Task> _commit;
    private readonly Func<T, int> _size;
    private readonly int _maxGroupSize;
    private readonly int _maxGroupsInFlight;
    private readonly Lock _gate = new();
    private readonly Queue<Entry> _waiting = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _groupsInFlight;
    private bool _disposed;

    /// <param name="commit">
    /// Commits a group all or nothing. Throws <see cref="RefusedGroupException"/> when the store refused the
    /// group's content (rather than failing to reach the store), so that each item is then retried on its own.
    /// </param>
    /// <param name="size">What an item counts towards a group's bound: rows for the index's writes, 1 for a read.</param>
    /// <param name="maxGroupSize">
    /// The bound on a group's total size; an item larger than that still goes, alone, so that it stays whole.
    /// </param>
    /// <param name="maxGroupsInFlight">Most groups committing at once.</param>
    public Coalescer(
        Func<IReadOnlyList<T>, Task> commit, Func<T, int> size, int maxGroupSize, int maxGroupsInFlight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxGroupSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxGroupsInFlight, 1);
        _commit = commit;
        _size = size;
        _maxGroupSize = maxGroupSize;
        _maxGroupsInFlight = maxGroupsInFlight;
    }

    public Task SubmitAsync(T item, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }
        var entry = new Entry(item, _size(item));
        bool startGroup;
        lock (_gate)
        {
            if (_disposed)
            {
                return Task.FromException(new ObjectDisposedException(GetType().Name));
            }
            _waiting.Enqueue(entry);
            startGroup = _groupsInFlight < _maxGroupsInFlight;
            if (startGroup)
            {
                _groupsInFlight++;
            }
        }
        if (startGroup)
        {
            // Off the caller's scheduler (a grain's, say): the loop serves every caller, not this one.
            _ = Task.Run(CommitWaitingAsync, CancellationToken.None);
        }
        return cancellationToken.CanBeCanceled ? WaitAsync(entry, cancellationToken) : entry.Task;
    }

    /// <summary>Takes no more writes and waits until every accepted one has been committed or failed.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
            if (_groupsInFlight == 0)
            {
                _drained.TrySetResult();
            }
        }
        await _drained.Task.ConfigureAwait(false);
    }

    private static async Task WaitAsync(Entry entry, CancellationToken cancellationToken)
    {
        using (cancellationToken.UnsafeRegister(static (state, token) => ((Entry)state!).Cancel(token), entry))
        {
            await entry.Task.ConfigureAwait(false);
        }
    }

    private async Task CommitWaitingAsync()
    {
        while (true)
        {
            List<Entry> group;
            lock (_gate)
            {
                group = TakeGroup();
                if (group.Count == 0)
                {
                    // Decided under the lock, so an item enqueued from now on starts a loop of its own.
                    _groupsInFlight--;
                    if (_groupsInFlight == 0 && _disposed)
                    {
                        _drained.TrySetResult();
                    }
                    return;
                }
            }
            await CommitGroupAsync(group).ConfigureAwait(false);
        }
    }

    private List<Entry> TakeGroup()
    {
        var group = new List<Entry>();
        var size = 0;
        while (_waiting.TryPeek(out var next))
        {
            // An item larger than the bound still goes, alone: its own batch must stay whole.
            if (group.Count > 0 && size + next.Size > _maxGroupSize)
            {
                break;
            }
            _waiting.Dequeue();
            if (next.TryTake())
            {
                group.Add(next);
                size += next.Size;
            }
        }
        return group;
    }

    private async Task CommitGroupAsync(List<Entry> group)
    {
        try
        {
            await _commit([.. group.Select(e => e.Item)]).ConfigureAwait(false);
            foreach (var entry in group)
            {
                entry.TrySetResult();
            }
        }
        catch (RefusedGroupException) when (group.Count > 1)
        {
            // The store refused something in the group: find whose it was by committing each item on its own,
            // so that one bad batch fails only its own caller, as if every batch had its own transaction.
            foreach (var entry in group)
            {
                await CommitAloneAsync(entry).ConfigureAwait(false);
            }
        }
        catch (Exception error)
        {
            var cause = error is RefusedGroupException { InnerException: { } inner } ? inner : error;
            foreach (var entry in group)
            {
                entry.TrySetException(cause);
            }
        }
    }

    private async Task CommitAloneAsync(Entry entry)
    {
        try
        {
            await _commit([entry.Item]).ConfigureAwait(false);
            entry.TrySetResult();
        }
        catch (Exception error)
        {
            entry.TrySetException(error is RefusedGroupException { InnerException: { } inner } ? inner : error);
        }
    }

    private sealed class Entry(T item, int size) : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        private const int Waiting = 0;
        private const int Taken = 1;
        private const int Cancelled = 2;
        private int _state;

        public T Item { get; } = item;

        public int Size { get; } = size;

        public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Waiting) == Waiting;

        public void Cancel(CancellationToken token)
        {
            // Still waiting: it is dropped and never written. Already taken: its group goes on regardless.
            Interlocked.CompareExchange(ref _state, Cancelled, Waiting);
            TrySetCanceled(token);
        }
    }
}
