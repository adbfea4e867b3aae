using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Wms.Storage.Postgres.Tests.OrleansProviders;

/// <summary>The 10.4.2 ADO.NET grain storage: called directly through the silo's keyed IGrainStorage, and end to end
/// through a grain.</summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class GrainStorageTests(PostgresClusterFixture fixture)
{
    private IGrainStorage Store => fixture.SiloServices.GetRequiredKeyedService<IGrainStorage>(ProbeGrain.StorageName);

    private IGrainStorage DeletingStore =>
        fixture.SiloServices.GetRequiredKeyedService<IGrainStorage>(PostgresTestCluster.DeleteOnClearStorageName);

    [Fact]
    public async Task A_missing_row_reads_as_no_record()
    {
        var state = new GrainState<ProbeState>(new ProbeState());

        await Store.ReadStateAsync("direct", NewGrainId(), state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal(0, state.State!.Value);
    }

    [Fact]
    public async Task Writes_advance_the_etag_and_stale_or_blind_writes_conflict()
    {
        var grainId = NewGrainId();
        var state = new GrainState<ProbeState>(new ProbeState { Value = 1 });

        await Store.WriteStateAsync("direct", grainId, state);
        Assert.Equal("1", state.ETag);
        state.State!.Value = 2;
        await Store.WriteStateAsync("direct", grainId, state);
        Assert.Equal("2", state.ETag);

        var stale = new GrainState<ProbeState>(new ProbeState { Value = 3 }, "1");
        await Assert.ThrowsAsync<InconsistentStateException>(() => Store.WriteStateAsync("direct", grainId, stale));
        var blind = new GrainState<ProbeState>(new ProbeState { Value = 3 });
        await Assert.ThrowsAsync<InconsistentStateException>(() => Store.WriteStateAsync("direct", grainId, blind));

        var read = new GrainState<ProbeState>(new ProbeState());
        await Store.ReadStateAsync("direct", grainId, read);
        Assert.Equal((2, "2", true), (read.State!.Value, read.ETag, read.RecordExists));
    }

    [Fact]
    public async Task Clear_keeps_the_row_with_a_new_etag_and_a_later_write_reuses_it()
    {
        var grainId = NewGrainId();
        var state = new GrainState<ProbeState>(new ProbeState { Value = 7 });
        await Store.WriteStateAsync("direct", grainId, state);
        await Store.WriteStateAsync("direct", grainId, state);

        await Store.ClearStateAsync("direct", grainId, state);
        Assert.Equal(("3", false), (state.ETag, state.RecordExists));

        var read = new GrainState<ProbeState>(new ProbeState());
        await Store.ReadStateAsync("direct", grainId, read);
        Assert.Equal(("3", false, 0), (read.ETag, read.RecordExists, read.State!.Value));

        read.State!.Value = 8;
        await Store.WriteStateAsync("direct", grainId, read);
        Assert.Equal("4", read.ETag);
        Assert.Equal(1L, await CountRowsAsync("direct", grainId));
    }

    [Fact]
    public async Task Delete_on_clear_removes_the_row_and_the_next_write_starts_again_at_one()
    {
        var grainId = NewGrainId();
        var state = new GrainState<ProbeState>(new ProbeState { Value = 7 });
        await DeletingStore.WriteStateAsync("direct", grainId, state);
        await DeletingStore.WriteStateAsync("direct", grainId, state);

        await DeletingStore.ClearStateAsync("direct", grainId, state);

        Assert.Equal((null, false), (state.ETag, state.RecordExists));
        Assert.Equal(0L, await CountRowsAsync("direct", grainId));
        await DeletingStore.WriteStateAsync("direct", grainId, state);
        Assert.Equal("1", state.ETag);
    }

    [Fact]
    public async Task Clearing_a_grain_never_written_writes_nothing()
    {
        var grainId = NewGrainId();

        await Store.ClearStateAsync("direct", grainId, new GrainState<ProbeState>(new ProbeState()));

        Assert.Equal(0L, await CountRowsAsync("direct", grainId));
    }

    [Fact]
    public async Task Key_shapes_are_stored_as_orleans_splits_them_and_null_and_empty_extensions_stay_apart()
    {
        var guid = Guid.NewGuid();
        var guidBytes = guid.ToByteArray();
        var stateName = $"shapes-{Guid.NewGuid():N}";
        var cases = new (GrainId Id, long N0, long N1, string? Extension)[]
        {
            (GrainId.Create(GrainType.Create("probe"), GrainIdKeyExtensions.CreateGuidKey(guid)),
                BitConverter.ToInt64(guidBytes, 0), BitConverter.ToInt64(guidBytes, 8), null),
            (GrainId.Create(GrainType.Create("probe"), GrainIdKeyExtensions.CreateGuidKey(guid, "ext")),
                BitConverter.ToInt64(guidBytes, 0), BitConverter.ToInt64(guidBytes, 8), "ext"),
            (GrainId.Create(GrainType.Create("probe"), GrainIdKeyExtensions.CreateIntegerKey(7)), 0, 7, null),
            (GrainId.Create(GrainType.Create("probe"), GrainIdKeyExtensions.CreateIntegerKey(7, "ext")), 0, 7, "ext"),
            (GrainId.Create("probe", "7+"), 0, 7, ""), // integer key 7 with an empty extension: not the NULL one
            (GrainId.Create("probe", "WF-1"), 0, 0, "WF-1"),
        };

        var etags = new List<string?>();
        foreach (var (id, _, _, _) in cases)
        {
            var state = new GrainState<ProbeState>(new ProbeState { Value = 1 });
            await Store.WriteStateAsync(stateName, id, state);
            etags.Add(state.ETag);
        }

        Assert.All(etags, e => Assert.Equal("1", e)); // six first inserts: six distinct rows
        var rows = await OrleansTestDatabase.RowsAsync(
            fixture.ConnectionString,
            "SELECT grain_id_n0, grain_id_n1, grain_id_extension FROM orleans.grain_state WHERE grain_type = @t",
            ("t", stateName));
        Assert.Equal(
            cases.Select(c => (c.N0, c.N1, c.Extension)).OrderBy(r => r.ToString()),
            rows.Select(r => ((long)r[0]!, (long)r[1]!, (string?)r[2])).OrderBy(r => r.ToString()));
    }

    [Fact]
    public async Task Concurrent_first_writes_of_one_grain_give_one_row_and_version_conflicts_for_the_rest()
    {
        var grainId = NewGrainId();
        const int writers = 8;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, writers).Select(i => Task.Run(async () =>
        {
            try
            {
                await Store.WriteStateAsync("direct", grainId, new GrainState<ProbeState>(new ProbeState { Value = i }));
                return "ok";
            }
            catch (InconsistentStateException)
            {
                return "conflict";
            }
        })));

        Assert.Equal(1, outcomes.Count(o => o == "ok"));
        Assert.Equal(writers - 1, outcomes.Count(o => o == "conflict"));
        Assert.Equal(1L, await CountRowsAsync("direct", grainId));
    }

    [Fact]
    public async Task The_unique_constraint_rejects_a_second_row_for_one_identity_null_extension_included()
    {
        const string insert = """
            INSERT INTO orleans.grain_state
                (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension, grain_id_hash, grain_type_hash, version)
            VALUES ('svc-x', 'dup', 0, 7, @ext, @hash, 0, 1)
            """;
        await OrleansTestDatabase.ExecuteAsync(fixture.ConnectionString, insert, ("ext", null), ("hash", 1));
        await OrleansTestDatabase.ExecuteAsync(fixture.ConnectionString, insert, ("ext", ""), ("hash", 1));

        // Same identity under another hash (as after a hasher change) is still a duplicate.
        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(
            () => OrleansTestDatabase.ExecuteAsync(fixture.ConnectionString, insert, ("ext", null), ("hash", 2)));
        Assert.Equal("grain_state_identity", error.ConstraintName);
    }

    [Fact]
    public async Task Known_pitfalls_hex_looking_string_keys_and_state_names_shared_across_grain_types_share_a_row()
    {
        // Documents Orleans behaviour a schema cannot change (ours: prefix keys with a non-hex letter such as "WF-",
        // and use one state name per grain type).
        var stateName = $"pitfall-{Guid.NewGuid():N}";
        var written = new GrainState<ProbeState>(new ProbeState { Value = 42 });
        await Store.WriteStateAsync(stateName, GrainId.Create("probe", "a"), written);

        var hexTwin = new GrainState<ProbeState>(new ProbeState());
        await Store.ReadStateAsync(stateName, GrainId.Create("probe", "0A"), hexTwin);
        var otherType = new GrainState<ProbeState>(new ProbeState());
        await Store.ReadStateAsync(stateName, GrainId.Create("another-type", "a"), otherType);

        Assert.Equal(42, hexTwin.State!.Value);
        Assert.Equal(42, otherType.State!.Value);
    }

    [Fact]
    public async Task A_grain_persists_its_state_across_deactivation_and_recovers_from_an_outside_change()
    {
        var key = $"WF-{Guid.NewGuid():N}";
        var grain = fixture.Cluster.Client.GetGrain<IProbeGrain>(key);

        await grain.SetValue(5);
        await fixture.Cluster.DeactivateAsync(grain);
        Assert.Equal(5, await grain.GetValue());
        Assert.Equal("1", await grain.GetETag());

        // Someone else moved the row on: the grain's next write conflicts, then the grain reloads and succeeds.
        await OrleansTestDatabase.ExecuteAsync(
            fixture.ConnectionString,
            "UPDATE orleans.grain_state SET version = version + 1 WHERE grain_type = @t AND grain_id_extension = @k",
            ("t", ProbeGrain.StateName), ("k", key));
        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.SetValue(6));
        await grain.SetValue(7);
        Assert.Equal(7, await grain.GetValue());
        Assert.Equal("3", await grain.GetETag());

        await grain.ClearValue();
        await fixture.Cluster.DeactivateAsync(grain);
        Assert.Equal(0, await grain.GetValue());
        Assert.Null(await OrleansTestDatabase.ScalarAsync(
            fixture.ConnectionString,
            "SELECT payload FROM orleans.grain_state WHERE grain_type = @t AND grain_id_extension = @k",
            ("t", ProbeGrain.StateName), ("k", key)));
    }

    private static GrainId NewGrainId() => GrainId.Create("probe", $"WF-{Guid.NewGuid():N}");

    private async Task<long> CountRowsAsync(string stateName, GrainId grainId) =>
        (long)(await OrleansTestDatabase.ScalarAsync(
            fixture.ConnectionString,
            "SELECT count(*) FROM orleans.grain_state WHERE service_id = @s AND grain_type = @t AND grain_id_extension = @k",
            ("s", fixture.ServiceId), ("t", stateName), ("k", grainId.Key.ToString())))!;
}
