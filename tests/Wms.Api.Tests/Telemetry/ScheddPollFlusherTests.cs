using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Wms.Api.Configuration;
using Wms.Api.Telemetry;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Storage.Memory;

namespace Wms.Api.Tests.Telemetry;

/// <summary>
/// Each silo writes the polls it served to the cluster's store: only the pairs polled since its last write, in one
/// write; a failed write is made good by the next; and a reader merges the store with the silo's own, latest first.
/// </summary>
public sealed class ScheddPollFlusherTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The memory store, with a record of every write, and a write that can be made to fail once.</summary>
    private sealed class RecordingStore : IScheddPollStore
    {
        private readonly MemoryScheddPollStore _inner = new();

        public List<List<ScheddPoll>> Writes { get; } = [];

        public int Reads { get; private set; }

        public bool FailNext { get; set; }

        public Task RecordAsync(IReadOnlyCollection<ScheddPoll> polls, CancellationToken cancellationToken = default)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("the store is away");
            }
            Writes.Add([.. polls.OrderBy(p => p.Schedd, StringComparer.Ordinal).ThenBy(p => p.Kind, StringComparer.Ordinal)]);
            return _inner.RecordAsync(polls, cancellationToken);
        }

        public Task<IReadOnlyList<ScheddPoll>> ReadAsync(CancellationToken cancellationToken = default)
        {
            Reads++;
            return _inner.ReadAsync(cancellationToken);
        }
    }

    private static ScheddPollFlusher Flusher(ScheddPolls polls, IScheddPollStore store) =>
        new(polls, store, Options.Create(new ExplainOptions()), TimeProvider.System, NullLogger<ScheddPollFlusher>.Instance);

    [Fact]
    public async Task OnlyWhatWasPolledSinceTheLastWriteIsWrittenInOneWrite()
    {
        var polls = new ScheddPolls();
        var store = new RecordingStore();
        using var flusher = Flusher(polls, store);
        Assert.Equal(0, await flusher.FlushAsync());
        Assert.Empty(store.Writes);

        polls.Record("SCHEDD1", Phase.PendingStarter, T0);
        polls.Record("SCHEDD2", Phase.PendingStopper, T0);
        Assert.Equal(2, await flusher.FlushAsync());
        Assert.Equal(0, await flusher.FlushAsync());

        polls.Record("SCHEDD1", Phase.PendingStarter, T0.AddSeconds(60));
        polls.Record("SCHEDD2", Phase.PendingStopper, T0.AddSeconds(-1));
        Assert.Equal(1, await flusher.FlushAsync());

        Assert.Equal(
        [
            [new("SCHEDD1", Phase.PendingStarter, T0), new("SCHEDD2", Phase.PendingStopper, T0)],
            [new ScheddPoll("SCHEDD1", Phase.PendingStarter, T0.AddSeconds(60))],
        ], store.Writes);
    }

    [Fact]
    public async Task AFailedWriteIsMadeGoodByTheNext()
    {
        var polls = new ScheddPolls();
        var store = new RecordingStore { FailNext = true };
        using var flusher = Flusher(polls, store);
        polls.Record("SCHEDD1", Phase.PendingStarter, T0);

        await Assert.ThrowsAsync<InvalidOperationException>(() => flusher.FlushAsync());
        Assert.Equal(1, await flusher.FlushAsync());
        Assert.Equal([new ScheddPoll("SCHEDD1", Phase.PendingStarter, T0)], await store.ReadAsync());
    }

    [Fact]
    public async Task TheClustersLatestPollIsTheLaterOfTheStoresAndThisSilos()
    {
        var store = new MemoryScheddPollStore();
        // Written by other silos.
        await store.RecordAsync(
        [
            new("SCHEDD1", Phase.PendingStarter, T0.AddSeconds(30)),
            new("SCHEDD2", Phase.PendingStarter, T0),
        ]);
        // Served here, not yet written.
        var local = new ScheddPolls();
        local.Record("SCHEDD1", Phase.PendingStarter, T0);
        local.Record("SCHEDD2", Phase.PendingStarter, T0.AddSeconds(45));
        local.Record("SCHEDD3", Phase.PendingStopper, T0);

        var latest = await new ClusterScheddPolls(local, store).LatestAsync();

        Assert.Equal(new Dictionary<(string, string), DateTimeOffset>
        {
            [("SCHEDD1", Phase.PendingStarter)] = T0.AddSeconds(30),
            [("SCHEDD2", Phase.PendingStarter)] = T0.AddSeconds(45),
            [("SCHEDD3", Phase.PendingStopper)] = T0,
        }, latest);
    }

    [Fact]
    public async Task TheStoreIsReadAtMostOnceASecondAndThisSilosPollsAlwaysCount()
    {
        var store = new RecordingStore();
        await store.RecordAsync([new("SCHEDD1", Phase.PendingStarter, T0)]);
        var local = new ScheddPolls();
        var time = new FakeTimeProvider(T0);
        var polls = new ClusterScheddPolls(local, store, time);

        await polls.LatestAsync();
        // Another silo writes; this one serves a poll: within the second, only this silo's poll is seen.
        await store.RecordAsync([new("SCHEDD2", Phase.PendingStarter, T0.AddSeconds(1))]);
        local.Record("SCHEDD3", Phase.PendingStopper, T0.AddSeconds(1));
        time.Advance(TimeSpan.FromMilliseconds(900));
        var within = await polls.LatestAsync();
        time.Advance(TimeSpan.FromMilliseconds(200));
        var after = await polls.LatestAsync();

        Assert.Equal(2, store.Reads);
        Assert.Equal([("SCHEDD1", Phase.PendingStarter), ("SCHEDD3", Phase.PendingStopper)], within.Keys.Order());
        Assert.Equal(
            [("SCHEDD1", Phase.PendingStarter), ("SCHEDD2", Phase.PendingStarter), ("SCHEDD3", Phase.PendingStopper)],
            after.Keys.Order());
    }
}
