using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Wms.Storage.Postgres.Tests.OrleansProviders;

/// <summary>
/// The grouped storage writes exactly the rows Orleans' ADO.NET provider writes: each reads and updates the other's
/// rows for every key shape (the provider looks rows up by both hashes, so a hash computed differently would show
/// as a missing row), with the same payload bytes and the same version rules.
/// </summary>
[Collection(GroupedStorageCollection.Name)]
public sealed class GroupedStorageCompatibilityTests(GroupedStorageFixture fixture)
{
    private static readonly Guid SomeGuid = Guid.Parse("b7c2e1a4-5d3f-4e2a-9c1b-0f8e7d6c5b4a");

    // Another one for the Guid-shaped string key, which Orleans would otherwise store in the Guid key's row.
    private static readonly Guid OtherGuid = Guid.Parse("3e9d0c4b-8a71-4f25-b6e3-2d1c0b9a8f7e");

    private IGrainStorage Grouped => fixture.Storage(GroupedStorageFixture.Grouped);

    private IGrainStorage Plain => fixture.Storage(GroupedStorageFixture.Plain);

    private static readonly string[] Shapes =
    [
        "string WF-",
        "string 32 hex digits (a Guid key to Orleans)",
        "string uuid with dashes",
        "string of hex digits (an integer key to Orleans)",
        "string with a plus",
        "integer",
        "integer with extension",
        "integer with empty extension",
        "guid",
        "guid with extension",
        "guid with non-ASCII extension",
    ];

    public static TheoryData<string> KeyShapes => new(Shapes);

    [Theory]
    [MemberData(nameof(KeyShapes))]
    public async Task Each_reads_and_updates_the_others_rows(string shape)
    {
        var stateName = $"compat-{Guid.NewGuid():N}";
        var grainId = Key(shape);

        var written = State(1);
        await Grouped.WriteStateAsync(stateName, grainId, written);
        Assert.Equal(("1", true), (written.ETag, written.RecordExists));
        var read = State(0);
        await Plain.ReadStateAsync(stateName, grainId, read);
        Assert.Equal((1, "1", true), (read.State!.Value, read.ETag, read.RecordExists));

        read.State.Value = 2;
        await Plain.WriteStateAsync(stateName, grainId, read);
        Assert.Equal("2", read.ETag);
        // The grouped write finds the row the provider moved on: its old ETag conflicts, the new one goes through.
        written.State!.Value = 3;
        await Assert.ThrowsAsync<InconsistentStateException>(() => Grouped.WriteStateAsync(stateName, grainId, written));
        written.ETag = "2";
        await Grouped.WriteStateAsync(stateName, grainId, written);
        Assert.Equal("3", written.ETag);

        var again = State(0);
        await Plain.ReadStateAsync(stateName, grainId, again);
        Assert.Equal((3, "3", true), (again.State!.Value, again.ETag, again.RecordExists));
        Assert.Equal(1L, await OrleansTestDatabase.ScalarAsync(
            fixture.ConnectionString, "SELECT count(*) FROM orleans.grain_state WHERE grain_type = @t", ("t", stateName)));
    }

    [Theory]
    [MemberData(nameof(KeyShapes))]
    public async Task Reads_find_what_the_provider_finds_with_a_row_without_one_and_after_a_clear(string shape)
    {
        var stateName = $"read-{Guid.NewGuid():N}";
        var grainId = Key(shape);

        Assert.Equal((0, null, false), await ReadAsync(Grouped, stateName, grainId));
        Assert.Equal(await ReadAsync(Plain, stateName, grainId), await ReadAsync(Grouped, stateName, grainId));

        var written = State(5);
        await Plain.WriteStateAsync(stateName, grainId, written);
        Assert.Equal((5, "1", true), await ReadAsync(Grouped, stateName, grainId));
        Assert.Equal(await ReadAsync(Plain, stateName, grainId), await ReadAsync(Grouped, stateName, grainId));

        // The row stays without its payload: a new state, not recorded, at the version the row is at.
        await Plain.ClearStateAsync(stateName, grainId, written);
        Assert.Equal(await ReadAsync(Plain, stateName, grainId), await ReadAsync(Grouped, stateName, grainId));
        var cleared = await ReadAsync(Grouped, stateName, grainId);
        Assert.Equal((0, "2", false), cleared);
    }

    [Fact]
    public async Task Key_shapes_are_stored_with_the_identity_and_hashes_the_provider_gives_them()
    {
        // The same grains written once by each storage, under two state names: the rows must match column for column.
        var groupedName = $"shape-grouped-{Guid.NewGuid():N}";
        var plainName = $"shape-plain-{Guid.NewGuid():N}";
        foreach (var shape in Shapes)
        {
            await Grouped.WriteStateAsync(groupedName, Key(shape), State(5));
            await Plain.WriteStateAsync(plainName, Key(shape), State(5));
        }

        const string rows = """
            SELECT grain_id_n0, grain_id_n1, grain_id_extension, grain_id_hash, payload, version
            FROM orleans.grain_state WHERE grain_type = @t
            ORDER BY grain_id_n0, grain_id_n1, grain_id_extension NULLS FIRST
            """;
        var grouped = await OrleansTestDatabase.RowsAsync(fixture.ConnectionString, rows, ("t", groupedName));
        var plain = await OrleansTestDatabase.RowsAsync(fixture.ConnectionString, rows, ("t", plainName));
        Assert.Equal(Shapes.Length, plain.Count);
        Assert.Equal(plain.Select(Show), grouped.Select(Show));
    }

    [Fact]
    public async Task The_payload_is_the_providers_serialised_state_byte_for_byte()
    {
        var stateName = $"payload-{Guid.NewGuid():N}";
        var fromGrouped = NewGrainId();
        var fromPlain = NewGrainId();

        await Grouped.WriteStateAsync(stateName, fromGrouped, State(1234));
        await Plain.WriteStateAsync(stateName, fromPlain, State(1234));

        var payload = (GrainId id) => OrleansTestDatabase.ScalarAsync(
            fixture.ConnectionString,
            "SELECT payload FROM orleans.grain_state WHERE grain_type = @t AND grain_id_extension = @k",
            ("t", stateName), ("k", id.Key.ToString()));
        var expected = Assert.IsType<byte[]>(await payload(fromPlain));
        Assert.NotEmpty(expected);
        Assert.Equal(expected, await payload(fromGrouped));
    }

    [Fact]
    public async Task Writes_advance_the_etag_and_stale_or_blind_writes_conflict_leaving_the_row_alone()
    {
        var stateName = $"etag-{Guid.NewGuid():N}";
        var grainId = NewGrainId();
        var state = State(1);

        await Grouped.WriteStateAsync(stateName, grainId, state);
        Assert.Equal(("1", true), (state.ETag, state.RecordExists));
        state.State!.Value = 2;
        await Grouped.WriteStateAsync(stateName, grainId, state);
        Assert.Equal("2", state.ETag);

        var stale = State(3, "1");
        await Assert.ThrowsAsync<InconsistentStateException>(() => Grouped.WriteStateAsync(stateName, grainId, stale));
        Assert.Equal("1", stale.ETag);
        var blind = State(3);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Grouped.WriteStateAsync(stateName, grainId, blind));
        Assert.Null(blind.ETag);

        var read = State(0);
        await Plain.ReadStateAsync(stateName, grainId, read);
        Assert.Equal((2, "2", true), (read.State!.Value, read.ETag, read.RecordExists));
    }

    [Fact]
    public async Task A_cleared_row_is_written_again_in_place()
    {
        var stateName = $"clear-{Guid.NewGuid():N}";
        var grainId = NewGrainId();
        var state = State(7);
        await Grouped.WriteStateAsync(stateName, grainId, state);

        await Grouped.ClearStateAsync(stateName, grainId, state);
        Assert.Equal(("2", false), (state.ETag, state.RecordExists));
        state.State!.Value = 8;
        await Grouped.WriteStateAsync(stateName, grainId, state);

        Assert.Equal(("3", true), (state.ETag, state.RecordExists));
        Assert.Equal(1L, await OrleansTestDatabase.ScalarAsync(
            fixture.ConnectionString, "SELECT count(*) FROM orleans.grain_state WHERE grain_type = @t", ("t", stateName)));
    }

    [Fact]
    public void The_provider_inside_still_takes_part_in_the_silo_lifecycle_and_loaded_its_queries()
    {
        var grouped = fixture.GroupedStorage(GroupedStorageFixture.Grouped);

        // Its queries are loaded when its lifecycle stage starts: there only if it took part.
        Assert.Contains("NewGrainStateVersion", grouped.Inner.CurrentOperationalQueries?.WriteToStorage);
        var participants = fixture.SiloServices.GetServices<ILifecycleParticipant<ISiloLifecycle>>().ToList();
        Assert.Single(participants, p => ReferenceEquals(p, grouped));
        Assert.DoesNotContain(participants, p => ReferenceEquals(p, grouped.Inner));
        // Grouping off: Orleans' provider itself.
        Assert.IsType<AdoNetGrainStorage>(Plain);
    }

    private static GrainId Key(string shape) => shape switch
    {
        "string WF-" => GrainId.Create("probe", "WF-7f3a9c"),
        "string 32 hex digits (a Guid key to Orleans)" => GrainId.Create("probe", OtherGuid.ToString("N")),
        "string uuid with dashes" => GrainId.Create("probe", SomeGuid.ToString()),
        "string of hex digits (an integer key to Orleans)" => GrainId.Create("probe", "b7c2"),
        "string with a plus" => GrainId.Create("probe", "TF-1+x"),
        "integer" => GrainId.Create(GrainType.Create("probe"), GrainIdKeyExtensions.CreateIntegerKey(-42)),
        "integer with extension" => GrainId.Create(GrainType.Create("probe"), GrainIdKeyExtensions.CreateIntegerKey(7, "ext")),
        "integer with empty extension" => GrainId.Create("probe", "7+"),
        "guid" => GrainId.Create(GrainType.Create("probe"), GrainIdKeyExtensions.CreateGuidKey(SomeGuid)),
        "guid with extension" => GrainId.Create(GrainType.Create("probe"), GrainIdKeyExtensions.CreateGuidKey(SomeGuid, "ext")),
        "guid with non-ASCII extension" =>
            GrainId.Create(GrainType.Create("probe"), GrainIdKeyExtensions.CreateGuidKey(SomeGuid, "zürich/東京")),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, null),
    };

    private static string Show(object?[] row) =>
        string.Join(" | ", row.Select(v => v is byte[] bytes ? Convert.ToHexString(bytes) : v?.ToString() ?? "NULL"));

    private static GrainId NewGrainId() => GrainId.Create("probe", $"WF-{Guid.NewGuid():N}");

    private static GrainState<ProbeState> State(int value, string? etag = null) => new(new ProbeState { Value = value }, etag);

    // Read into a state that holds something else, so that every part of the answer must come from the read.
    private static async Task<(int Value, string? ETag, bool RecordExists)> ReadAsync(
        IGrainStorage storage, string stateName, GrainId grainId)
    {
        var state = new GrainState<ProbeState>(new ProbeState { Value = -1 }, "stale") { RecordExists = true };
        await storage.ReadStateAsync(stateName, grainId, state);
        return (state.State!.Value, state.ETag, state.RecordExists);
    }
}
