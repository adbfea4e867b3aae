using Microsoft.Extensions.DependencyInjection;

namespace Wms.Storage.Postgres.Tests.OrleansProviders;

/// <summary>The 10.4.2 ADO.NET reminder table (internal in Orleans), resolved as IReminderTable from a started silo.</summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class ReminderTableTests(PostgresClusterFixture fixture)
{
    private IReminderTable Table => fixture.SiloServices.GetRequiredService<IReminderTable>();

    [Fact]
    public async Task Upserts_advance_the_etag_and_a_row_round_trips()
    {
        var grainId = NewGrainId("rt");
        var start = Millis(DateTime.UtcNow.AddMinutes(5));
        const string name = @"foo/bar\#b_a_z?";

        var first = await Table.UpsertRow(Entry(grainId, name, start, TimeSpan.FromMinutes(10)));
        var second = await Table.UpsertRow(Entry(grainId, name, start, TimeSpan.FromMinutes(20)));

        Assert.Equal(("0", "1"), (first, second));
        var read = await Table.ReadRow(grainId, name);
        Assert.NotNull(read);
        Assert.Equal((grainId, name, start, TimeSpan.FromMinutes(20), "1"), (read.GrainId, read.ReminderName, read.StartAt, read.Period, read.ETag));
        Assert.Equal(DateTimeKind.Utc, read.StartAt.Kind);
        Assert.Null(await Table.ReadRow(grainId, "unknown"));
    }

    [Fact]
    public async Task A_period_longer_than_an_int32_of_milliseconds_round_trips()
    {
        var grainId = NewGrainId("rt");

        await Table.UpsertRow(Entry(grainId, "long", DateTime.UtcNow, TimeSpan.FromDays(40)));

        Assert.Equal(TimeSpan.FromDays(40), (await Table.ReadRow(grainId, "long"))!.Period);
    }

    [Fact]
    public async Task A_grains_reminders_read_together_and_removal_needs_the_current_etag()
    {
        var grainId = NewGrainId("rt");
        var etagA = await Table.UpsertRow(Entry(grainId, "a", DateTime.UtcNow, TimeSpan.FromMinutes(1)));
        await Table.UpsertRow(Entry(grainId, "b", DateTime.UtcNow, TimeSpan.FromMinutes(1)));
        await Table.UpsertRow(Entry(NewGrainId("rt"), "a", DateTime.UtcNow, TimeSpan.FromMinutes(1)));

        var rows = await Table.ReadRows(grainId);
        Assert.Equal(["a", "b"], rows.Reminders.Select(r => r.ReminderName).Order());

        var newer = await Table.UpsertRow(Entry(grainId, "a", DateTime.UtcNow, TimeSpan.FromMinutes(2)));
        Assert.False(await Table.RemoveRow(grainId, "a", etagA!));  // stale
        Assert.False(await Table.RemoveRow(grainId, "c", newer!));  // wrong name
        Assert.True(await Table.RemoveRow(grainId, "a", newer!));
        Assert.False(await Table.RemoveRow(grainId, "a", newer!));  // already gone
        Assert.Equal(["b"], (await Table.ReadRows(grainId)).Reminders.Select(r => r.ReminderName));
    }

    [Fact]
    public async Task Parallel_upserts_of_one_reminder_get_distinct_etags()
    {
        var grainId = NewGrainId("rt");

        var etags = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(
            () => Table.UpsertRow(Entry(grainId, "same", DateTime.UtcNow, TimeSpan.FromMinutes(1))))));

        Assert.Equal(5, etags.Distinct().Count());
    }

    [Fact]
    public async Task Ring_range_reads_match_the_unsigned_ring_semantics()
    {
        var prefix = $"ring-{Guid.NewGuid():N}";
        var grains = Enumerable.Range(0, 300).Select(i => NewGrainId(prefix)).ToList();
        await Task.WhenAll(grains.Select(g => Table.UpsertRow(Entry(g, "r", DateTime.UtcNow, TimeSpan.FromHours(1)))));
        var hashes = grains.ToDictionary(g => g, g => g.GetUniformHashCode());

        var random = new Random(4711);
        var ranges = new List<(uint Begin, uint End)>
        {
            (0, 0), (0, uint.MaxValue), (uint.MaxValue, 0), (0x7FFFFFFF, 0x80000000), (0x80000000, 0x7FFFFFFF),
            (0x7FFFFF00, 0x800000FF), (0x800000FF, 0x7FFFFF00), (12345, 12345),
        };
        ranges.Add((hashes[grains[0]], hashes[grains[1]])); // bounds on stored hashes: begin excluded, end included
        for (var i = 0; i < 100; i++)
        {
            ranges.Add(((uint)random.NextInt64(0, 1L << 32), (uint)random.NextInt64(0, 1L << 32)));
        }

        foreach (var (begin, end) in ranges)
        {
            var expected = grains.Where(g => InRange(hashes[g], begin, end)).Select(g => g.ToString()).Order().ToList();
            var actual = (await Table.ReadRows(begin, end)).Reminders
                .Where(r => r.GrainId.Key.ToString()!.StartsWith(prefix, StringComparison.Ordinal))
                .Select(r => r.GrainId.ToString()).Order().ToList();
            Assert.True(expected.SequenceEqual(actual), $"range ({begin:X8}, {end:X8}]: expected {expected.Count}, got {actual.Count}");
        }
    }

    [Fact]
    public async Task Clearing_the_table_removes_only_this_services_reminders()
    {
        // Another service's reminder in the same table.
        await OrleansTestDatabase.ExecuteAsync(
            fixture.ConnectionString,
            """
            INSERT INTO orleans.reminder (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
            VALUES ('other-service', 'probe/x', 'r', now(), 60000, 0, 0)
            """);
        await Table.UpsertRow(Entry(NewGrainId("rt"), "r", DateTime.UtcNow, TimeSpan.FromMinutes(1)));

        await Table.TestOnlyClearTable();

        Assert.Equal(0L, await OrleansTestDatabase.ScalarAsync(
            fixture.ConnectionString, "SELECT count(*) FROM orleans.reminder WHERE service_id = @s", ("s", fixture.ServiceId)));
        Assert.Equal(1L, await OrleansTestDatabase.ScalarAsync(
            fixture.ConnectionString, "SELECT count(*) FROM orleans.reminder WHERE service_id = 'other-service'"));
    }

    /// <summary>Orleans' ring range (begin, end]; begin == end is the whole ring.</summary>
    private static bool InRange(uint hash, uint begin, uint end) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    private static GrainId NewGrainId(string prefix) => GrainId.Create("probe", $"{prefix}-{Guid.NewGuid():N}");

    private static ReminderEntry Entry(GrainId grainId, string name, DateTime startAt, TimeSpan period) =>
        new() { GrainId = grainId, ReminderName = name, StartAt = startAt, Period = period };

    private static DateTime Millis(DateTime time) =>
        new(time.Ticks - time.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
}
