using Wms.Domain.Index;
using Wms.Domain.Model;

namespace Wms.Storage.Postgres.Tests.Polls;

/// <summary>
/// What the store of the latest TMS polls keeps, case by case; every case runs against each store
/// (<see cref="MemoryScheddPollStoreTests"/>, <see cref="PostgresScheddPollStoreTests"/>), so both answer the same.
/// </summary>
public abstract class ScheddPollStoreCases
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A store that holds nothing yet.</summary>
    protected abstract Task<IScheddPollStore> EmptyStoreAsync();

    private static async Task<List<ScheddPoll>> ReadSortedAsync(IScheddPollStore store) =>
        [.. (await store.ReadAsync()).OrderBy(p => p.Schedd, StringComparer.Ordinal).ThenBy(p => p.Kind, StringComparer.Ordinal)];

    [Fact]
    public async Task EachScheddAndKindKeepsItsLatestPoll()
    {
        var store = await EmptyStoreAsync();
        Assert.Empty(await store.ReadAsync());

        await store.RecordAsync(
        [
            new("SCHEDD1", Phase.PendingStarter, T0),
            new("SCHEDD1", Phase.PendingStopper, T0.AddSeconds(-30)),
            new("sched'd \"2\"", Phase.PendingStarter, T0.AddMinutes(-19)),
        ]);
        await store.RecordAsync([new("SCHEDD1", Phase.PendingStarter, T0.AddSeconds(60))]);
        await store.RecordAsync([]);

        Assert.Equal(
        [
            new("SCHEDD1", Phase.PendingStarter, T0.AddSeconds(60)),
            new("SCHEDD1", Phase.PendingStopper, T0.AddSeconds(-30)),
            new("sched'd \"2\"", Phase.PendingStarter, T0.AddMinutes(-19)),
        ], await ReadSortedAsync(store));
    }

    [Fact]
    public async Task AnOlderPollNeverReplacesALaterOne()
    {
        // Two silos write the same pair in either order; the later poll stays.
        var store = await EmptyStoreAsync();
        await store.RecordAsync([new("SCHEDD1", Phase.PendingStarter, T0)]);
        await store.RecordAsync([new("SCHEDD1", Phase.PendingStarter, T0.AddSeconds(-5)), new("SCHEDD2", Phase.PendingStopper, T0)]);

        Assert.Equal(
        [
            new("SCHEDD1", Phase.PendingStarter, T0),
            new("SCHEDD2", Phase.PendingStopper, T0),
        ], await ReadSortedAsync(store));
    }

    [Fact]
    public async Task TimesComeBackToTheMicrosecond()
    {
        var store = await EmptyStoreAsync();
        var odd = T0.AddTicks(1_234_567);
        await store.RecordAsync([new("SCHEDD1", Phase.PendingStarter, odd)]);

        var read = Assert.Single(await store.ReadAsync());
        Assert.InRange((read.At - odd).Duration(), TimeSpan.Zero, TimeSpan.FromMicroseconds(1));
    }
}
