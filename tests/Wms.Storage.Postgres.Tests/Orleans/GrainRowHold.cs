using Orleans.Storage;
using Wms.Storage.Postgres.Tests.Infrastructure;

namespace Wms.Storage.Postgres.Tests.OrleansProviders;

/// <summary>
/// A grain state row locked by a transaction of the test's own, and a write of that row through a grouped storage
/// waiting for the lock. With one group in flight, every write handed to that storage from then on waits for the
/// next group, so which writes share a group is certain rather than a matter of timing.
/// </summary>
internal sealed class GrainRowHold : IAsyncDisposable
{
    private readonly RowLock _lock;

    private GrainRowHold(RowLock rowLock, Task written)
    {
        _lock = rowLock;
        Written = written;
    }

    /// <summary>The storage's write of the held row.</summary>
    public Task Written { get; }

    public static async Task<GrainRowHold> TakeAsync(IGrainStorage storage, string connectionString)
    {
        var stateName = $"hold-{Guid.NewGuid():N}";
        var grainId = GrainId.Create("probe", $"WF-{Guid.NewGuid():N}");
        var state = new GrainState<ProbeState>(new ProbeState { Value = 1 });
        await storage.WriteStateAsync(stateName, grainId, state);

        var rowLock = await RowLock.TakeAsync(
            connectionString, "SELECT 1 FROM orleans.grain_state WHERE grain_type = $1", stateName);
        state.State!.Value = 2;
        var hold = new GrainRowHold(rowLock, storage.WriteStateAsync(stateName, grainId, state));
        await RowLock.WaitForWaiterAsync(connectionString);
        return hold;
    }

    public Task ReleaseAsync() => _lock.ReleaseAsync();

    public ValueTask DisposeAsync() => _lock.DisposeAsync();
}
