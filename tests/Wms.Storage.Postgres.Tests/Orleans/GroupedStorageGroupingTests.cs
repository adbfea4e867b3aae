using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using Wms.Storage.Postgres.Tests.Infrastructure;
using Wms.Testing;
using Xunit.Abstractions;

namespace Wms.Storage.Postgres.Tests.OrleansProviders;

/// <summary>
/// Concurrent writes of different grains share round trips, and each caller still gets its own outcome: a lost
/// version check or a refused row fails only its own write, a lost connection fails the writes it carried without
/// hanging, and stopping the storage lets accepted writes finish.
/// </summary>
[Collection(GroupedStorageCollection.Name)]
public sealed class GroupedStorageGroupingTests(GroupedStorageFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Concurrent_writes_of_many_grains_take_fewer_round_trips_than_writes_and_all_land()
    {
        // One group in flight, held on a locked row: every write asked meanwhile waits for the next groups.
        var storage = fixture.GroupedStorage(GroupedStorageFixture.Held);
        var stateName = $"many-{Guid.NewGuid():N}";
        const int grains = 300;
        const int rounds = 3;
        var ids = Enumerable.Range(0, grains).Select(_ => NewGrainId()).ToArray();
        var states = ids.Select(_ => State(0)).ToArray();
        long roundTrips = 0;
        var writes = storage.Commit.WritesCommitted;

        for (var round = 1; round <= rounds; round++)
        {
            var value = round;
            await using var hold = await GrainRowHold.TakeAsync(storage, fixture.ConnectionString);
            var before = storage.Commit.RoundTrips;
            var written = Enumerable.Range(0, grains).Select(i =>
            {
                states[i].State!.Value = value;
                return storage.WriteStateAsync(stateName, ids[i], states[i]);
            }).ToArray();
            await hold.ReleaseAsync();
            await hold.Written.WaitAsync(Deadline);
            await Task.WhenAll(written).WaitAsync(Deadline);
            roundTrips += storage.Commit.RoundTrips - before;
            Assert.All(states, s => Assert.Equal(value.ToString(CultureInfo.InvariantCulture), s.ETag));
        }

        output.WriteLine($"{grains * rounds} writes of {grains} grains took {roundTrips} round trips");
        // Each round's waiting writes go in groups of at most MaxGroupWrites (256): two per round. The hold adds
        // two writes of its own row per round.
        Assert.Equal(grains * rounds + 2 * rounds, storage.Commit.WritesCommitted - writes);
        Assert.InRange(roundTrips, rounds, 2 * rounds);
        Assert.Equal(grains, await CountAsync("grain_type = @t AND version = 3", stateName));
        var read = State(0);
        await fixture.Storage(GroupedStorageFixture.Plain).ReadStateAsync(stateName, ids[^1], read);
        Assert.Equal((rounds, "3"), (read.State!.Value, read.ETag));
    }

    [Fact]
    public async Task Concurrent_reads_of_many_grains_take_fewer_round_trips_than_reads_and_each_finds_its_own()
    {
        var storage = fixture.GroupedStorage(GroupedStorageFixture.Held);
        var stateName = $"reads-{Guid.NewGuid():N}";
        const int grains = 300;
        var ids = Enumerable.Range(0, grains).Select(_ => NewGrainId()).ToArray();
        // Every other grain has a row, with its number as its value.
        for (var i = 0; i < grains; i += 2)
        {
            await storage.WriteStateAsync(stateName, ids[i], State(i));
        }
        var roundTrips = storage.Reads.RoundTrips;
        var states = ids.Select(_ => State(-1, "stale")).ToArray();
        Task[] reads;

        // The table locked: the one read group in flight waits, and every read asked meanwhile queues behind it.
        await using (var hold = await RowLock.TakeTableAsync(fixture.ConnectionString, "orleans.grain_state"))
        {
            var first = storage.ReadStateAsync(stateName, ids[0], states[0]);
            await RowLock.WaitForWaiterAsync(fixture.ConnectionString);
            reads = [first, .. Enumerable.Range(1, grains - 1).Select(i => storage.ReadStateAsync(stateName, ids[i], states[i]))];
            await hold.ReleaseAsync();
            await Task.WhenAll(reads).WaitAsync(Deadline);
        }
        var read = states;

        roundTrips = storage.Reads.RoundTrips - roundTrips;
        output.WriteLine($"{grains} reads took {roundTrips} round trips");
        // The held one, then the waiting reads in groups of at most MaxGroupReads (256).
        Assert.InRange(roundTrips, 2, 3);
        for (var i = 0; i < grains; i++)
        {
            var expected = i % 2 == 0 ? (i, "1", true) : (0, null, false);
            Assert.Equal(expected, (read[i].State!.Value, read[i].ETag, read[i].RecordExists));
        }
    }

    [Fact]
    public async Task A_lost_version_check_in_a_group_fails_only_its_own_caller()
    {
        var storage = fixture.GroupedStorage(GroupedStorageFixture.Held);
        var stateName = $"conflict-{Guid.NewGuid():N}";
        var (moved, existing, kept) = (NewGrainId(), NewGrainId(), NewGrainId());
        var keptState = State(1);
        await storage.WriteStateAsync(stateName, moved, State(1));
        await storage.WriteStateAsync(stateName, existing, State(1));
        await storage.WriteStateAsync(stateName, kept, keptState);
        var movedState = State(2, "1");
        await storage.WriteStateAsync(stateName, moved, movedState);

        var stale = State(3, "1");
        var blind = State(3);
        var fresh = State(4);
        var newId = NewGrainId();
        Task[] writes;
        long roundTrips;
        await using (var hold = await GrainRowHold.TakeAsync(storage, fixture.ConnectionString))
        {
            roundTrips = storage.Commit.RoundTrips;
            keptState.State!.Value = 5;
            writes =
            [
                storage.WriteStateAsync(stateName, newId, fresh),
                storage.WriteStateAsync(stateName, moved, stale),
                storage.WriteStateAsync(stateName, existing, blind),
                storage.WriteStateAsync(stateName, kept, keptState),
            ];
            Assert.All(writes, w => Assert.False(w.IsCompleted));
            await hold.ReleaseAsync();
            await hold.Written.WaitAsync(Deadline);
            await Task.WhenAll(writes).ContinueWith(_ => { }).WaitAsync(Deadline);
        }

        // One round trip for the four: the held group's was already counted.
        Assert.Equal(roundTrips + 1, storage.Commit.RoundTrips);
        Assert.True(writes[0].IsCompletedSuccessfully);
        Assert.Equal(("1", true), (fresh.ETag, fresh.RecordExists));
        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[1]);
        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[2]);
        Assert.True(writes[3].IsCompletedSuccessfully);
        Assert.Equal("2", keptState.ETag);
        Assert.Equal(2, await ValueAsync(stateName, moved));
        Assert.Equal(1, await ValueAsync(stateName, existing));
        Assert.Equal(5, await ValueAsync(stateName, kept));
    }

    [Fact]
    public async Task A_row_the_database_refuses_fails_only_its_own_caller_even_in_a_group()
    {
        var storage = fixture.GroupedStorage(GroupedStorageFixture.Held);
        var stateName = $"refuse-{Guid.NewGuid():N}";
        await using (await RefusingTrigger.InstallAsync(
            fixture.ConnectionString, "orleans.grain_state", "grain_id_extension", "REFUSE-%"))
        {
            var good = new[] { NewGrainId(), NewGrainId() };
            var refused = GrainId.Create("probe", $"REFUSE-{Guid.NewGuid():N}");
            var goodStates = good.Select(_ => State(1)).ToArray();
            Task[] writes;
            long roundTrips;
            await using (var hold = await GrainRowHold.TakeAsync(storage, fixture.ConnectionString))
            {
                roundTrips = storage.Commit.RoundTrips;
                writes =
                [
                    storage.WriteStateAsync(stateName, good[0], goodStates[0]),
                    storage.WriteStateAsync(stateName, refused, State(1)),
                    storage.WriteStateAsync(stateName, good[1], goodStates[1]),
                ];
                await hold.ReleaseAsync();
                await Task.WhenAll(writes).ContinueWith(_ => { }).WaitAsync(Deadline);
            }

            Assert.True(writes[0].IsCompletedSuccessfully);
            Assert.True(writes[2].IsCompletedSuccessfully);
            Assert.All(goodStates, s => Assert.Equal("1", s.ETag));
            var error = await Assert.ThrowsAsync<PostgresException>(() => writes[1]);
            Assert.Contains(RefusingTrigger.Message, error.MessageText);
            // The group, refused whole, then each write alone.
            Assert.Equal(roundTrips + 1 + writes.Length, storage.Commit.RoundTrips);
            Assert.Equal(2, await CountAsync("grain_type = @t", stateName));
            Assert.Equal(0, await CountAsync("grain_type = @t AND grain_id_extension LIKE 'REFUSE-%'", stateName));
        }
        var later = State(1);
        await storage.WriteStateAsync(stateName, NewGrainId(), later).WaitAsync(Deadline);
        Assert.Equal("1", later.ETag);
    }

    [Fact]
    public async Task A_closed_database_fails_every_writer_without_hanging_and_writes_resume_once_it_opens()
    {
        var storage = fixture.Storage(GroupedStorageFixture.Closable);
        var stateName = $"closed-{Guid.NewGuid():N}";
        var server = await PostgresServer.SharedAsync();
        var database = new NpgsqlConnectionStringBuilder(fixture.ClosableConnectionString).Database!;
        await storage.WriteStateAsync(stateName, NewGrainId(), State(1));

        await AdminAsync(server, $"""ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS false""");
        try
        {
            await AdminAsync(server, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'");
            var writes = Enumerable.Range(0, 20).Select(_ => storage.WriteStateAsync(stateName, NewGrainId(), State(1))).ToArray();
            foreach (var write in writes)
            {
                await Assert.ThrowsAnyAsync<NpgsqlException>(() => write.WaitAsync(Deadline));
            }
        }
        finally
        {
            await AdminAsync(server, $"""ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS true""");
        }

        // Pooled connections the server closed fail once each when next used; after that writes go through.
        var stop = DateTime.UtcNow + Deadline;
        while (true)
        {
            try
            {
                await storage.WriteStateAsync(stateName, NewGrainId(), State(1)).WaitAsync(Deadline);
                break;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < stop)
            {
            }
        }
        var more = Enumerable.Range(0, 20).Select(_ => (Id: NewGrainId(), State: State(2))).ToArray();
        await Task.WhenAll(more.Select(m => storage.WriteStateAsync(stateName, m.Id, m.State))).WaitAsync(Deadline);
        Assert.All(more, m => Assert.Equal("1", m.State.ETag));
    }

    [Fact]
    public async Task Stopping_lets_accepted_writes_finish_and_later_writes_go_to_the_provider_alone()
    {
        var held = fixture.GroupedStorage(GroupedStorageFixture.Held);
        var connectionString = OrleansPostgres.ProviderConnectionString(fixture.ConnectionString);
        var storage = new GroupedGrainStorage(
            held.Inner,
            GroupedStorageFixture.Held,
            fixture.ServiceId,
            stage: 0,
            async () =>
            {
                var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                return connection;
            },
            new GroupedGrainStorageOptions { MaxGroupsInFlight = 1 },
            fixture.SiloServices.GetRequiredService<IActivatorProvider>(),
            NullLogger.Instance);
        var stateName = $"stop-{Guid.NewGuid():N}";
        var queued = State(1);
        var after = State(1);
        Task write;
        ValueTask stopping;
        await using (var hold = await GrainRowHold.TakeAsync(storage, fixture.ConnectionString))
        {
            write = storage.WriteStateAsync(stateName, NewGrainId(), queued);
            stopping = storage.DisposeAsync();
            Assert.False(stopping.IsCompleted);
            await storage.WriteStateAsync(stateName, NewGrainId(), after).WaitAsync(Deadline);
            await hold.ReleaseAsync();
            await stopping.AsTask().WaitAsync(Deadline);
            // Committed once stopping is over; the callers' own tasks complete on their continuations.
            await hold.Written.WaitAsync(Deadline);
        }

        await write.WaitAsync(Deadline);
        Assert.Equal(("1", "1"), (queued.ETag, after.ETag));
        // The held row's first write, its held write and the queued one; the one after stopping went alone.
        Assert.Equal(3, storage.Commit.GroupsCommitted);
        Assert.Equal(2, await CountAsync("grain_type = @t", stateName));
    }

    private async Task<int> CountAsync(string condition, string stateName) =>
        (int)(long)(await OrleansTestDatabase.ScalarAsync(
            fixture.ConnectionString, $"SELECT count(*) FROM orleans.grain_state WHERE {condition}", ("t", stateName)))!;

    private async Task<int> ValueAsync(string stateName, GrainId grainId)
    {
        var state = State(0);
        await fixture.Storage(GroupedStorageFixture.Plain).ReadStateAsync(stateName, grainId, state);
        return state.State!.Value;
    }

    private static async Task AdminAsync(PostgresServer server, string sql)
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static GrainId NewGrainId() => GrainId.Create("probe", $"WF-{Guid.NewGuid():N}");

    private static GrainState<ProbeState> State(int value, string? etag = null) => new(new ProbeState { Value = value }, etag);
}
