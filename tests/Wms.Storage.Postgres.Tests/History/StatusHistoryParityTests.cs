using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Wms.Domain.Index;
using Wms.Domain.Rules;
using Wms.Storage.Memory;
using Wms.Storage.Postgres.History;
using Wms.Storage.Postgres.Tests.Index;

namespace Wms.Storage.Postgres.Tests.History;

/// <summary>
/// The same appends go to the memory history and to the PostgreSQL one, on one clock; every taskforce's history
/// must then read the same from both, and the table must hold no more than the cap per taskforce.
/// </summary>
public sealed class StatusHistoryParityTests(IndexDatabase database) : IClassFixture<IndexDatabase>
{
    // Small, so that thinning and the cap both act within a test: recent is 10 minutes or the last 3 entries,
    // older ones one a minute, at most 8.
    private static readonly StatusHistoryRetention Retention =
        new(TimeSpan.FromMinutes(10), 3, TimeSpan.FromMinutes(1), 8);

    [Fact]
    public async Task AppendsFlushedOneByOneReadTheSameAsInMemory()
    {
        await database.ExecuteAsync("TRUNCATE public.wms_status_history");
        var seed = Random.Shared.Next();
        var random = new Random(seed);
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var memory = new MemoryStatusHistory(Retention, clock);
        // Trimmed with every group, as the memory history is with every append, so both trim at the same points.
        await using var postgres = new PostgresStatusHistory(
            database.DataSource, Retention, clock, NullLogger.Instance, 1000, 2, TimeSpan.Zero);
        var uuids = Enumerable.Range(0, 12).Select(i => $"TF-parity-{i:D2}").ToList();

        for (var i = 0; i < 400; i++)
        {
            // Mostly seconds apart, now and then minutes or an hour: bursts the cap trims and gaps thinning keeps.
            clock.Advance(TimeSpan.FromSeconds(random.Next(5) == 0 ? random.Next(60, 4000) : random.Next(1, 20)));
            var uuid = uuids[random.Next(uuids.Count)];
            var entry = RandomEntry(random, clock);
            memory.Append(uuid, entry);
            postgres.Append(uuid, entry);
            await postgres.FlushAsync();
        }

        clock.Advance(TimeSpan.FromMinutes(random.Next(0, 30)));
        var context = $"seed {seed}";
        foreach (var uuid in uuids.Append("TF-never-reported"))
        {
            var expected = Text(await memory.ReadAsync(uuid));
            Assert.True(expected == Text(await postgres.ReadAsync(uuid)), $"{context}: {uuid} differs");
        }
        Assert.True(await MostRowsOfATaskforceAsync() <= Retention.MaxEntries, context);
    }

    [Fact]
    public async Task AppendsWrittenInGroupsReadTheSameAsInMemory()
    {
        await database.ExecuteAsync("TRUNCATE public.wms_status_history");
        var random = new Random(1706);
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var memory = new MemoryStatusHistory(Retention, clock);
        await using var postgres = new PostgresStatusHistory(
            database.DataSource, Retention, clock, NullLogger<PostgresStatusHistory>.Instance);
        var uuids = Enumerable.Range(0, 200).Select(i => $"TF-group-{i:D3}").ToList();

        // Up to the cap per taskforce, appended from many threads at once and flushed once: grouped writes, and
        // below the cap nothing is trimmed, so the order of the groups does not matter.
        var entries = uuids.SelectMany(uuid => Enumerable.Range(0, 1 + random.Next(Retention.MaxEntries))
            .Select(i => (uuid, Entry: RandomEntry(random, clock, offsetSeconds: i * 45)))).ToList();
        foreach (var (uuid, entry) in entries)
        {
            memory.Append(uuid, entry);
        }
        await Parallel.ForEachAsync(entries, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            (e, _) =>
            {
                postgres.Append(e.uuid, e.Entry);
                return ValueTask.CompletedTask;
            });
        await postgres.FlushAsync();

        clock.Advance(TimeSpan.FromHours(2));
        foreach (var uuid in uuids)
        {
            Assert.Equal(Text(await memory.ReadAsync(uuid)), Text(await postgres.ReadAsync(uuid)));
        }
        Assert.Equal(entries.Count, await CountRowsAsync());
    }

    [Fact]
    public async Task ATaskforcePastTheCapIsTrimmedOnceTheTrimIntervalHasPassed()
    {
        await database.ExecuteAsync("TRUNCATE public.wms_status_history");
        var random = new Random(3);
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        await using var postgres = new PostgresStatusHistory(
            database.DataSource, Retention, clock, NullLogger.Instance, 1000, 2, TimeSpan.FromSeconds(30));

        // Within one interval nothing is trimmed: twice the cap, each a second after the last.
        for (var i = 0; i < 2 * Retention.MaxEntries; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            postgres.Append("TF-trimmed", RandomEntry(random, clock));
            await postgres.FlushAsync();
        }
        Assert.Equal(2 * Retention.MaxEntries, await CountRowsAsync());

        // The next write after the interval trims every taskforce written to since, this one included.
        clock.Advance(TimeSpan.FromSeconds(30));
        postgres.Append("TF-other", RandomEntry(random, clock));
        await postgres.FlushAsync();
        Assert.Equal(Retention.MaxEntries, await MostRowsOfATaskforceAsync());
        Assert.Equal(Retention.MaxEntries, (await postgres.ReadAsync("TF-trimmed")).Count);
    }

    [Fact]
    public async Task StatusesComeBackAsReportedMembersInOrder()
    {
        await database.ExecuteAsync("TRUNCATE public.wms_status_history");
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        await using var postgres = new PostgresStatusHistory(
            database.DataSource, Retention, clock, NullLogger<PostgresStatusHistory>.Instance);
        var entry = new StatusHistoryEntry(1_700_000_000.125,
            new Dictionary<string, IReadOnlyDictionary<string, long>>
            {
                ["RUNNING"] = new Dictionary<string, long> { ["Tasking"] = 8, ["null"] = 2 },
                ["IDLE"] = new Dictionary<string, long> { ["null"] = 1 },
            },
            new Dictionary<string, long> { ["HELD: Memory usage exceeds a memory limit \"x\" é"] = 3 });

        postgres.Append("TF-members", entry);
        await postgres.FlushAsync();

        var read = Assert.Single(await postgres.ReadAsync("TF-members"));
        Assert.Equal(Text([entry]), Text([read]));
        Assert.Empty(await postgres.ReadAsync("TF-other"));
    }

    private static StatusHistoryEntry RandomEntry(Random random, TimeProvider clock, int offsetSeconds = 0)
    {
        var compound = new Dictionary<string, IReadOnlyDictionary<string, long>>();
        foreach (var state in new[] { "RUNNING", "IDLE", "HELD" }.Where(_ => random.Next(2) == 0))
        {
            compound[state] = new Dictionary<string, long> { ["Tasking"] = random.Next(100), ["null"] = random.Next(10) };
        }
        var errors = new Dictionary<string, long>();
        if (random.Next(3) == 0)
        {
            errors["HELD: error " + random.Next(5)] = random.Next(1, 9);
        }
        return new StatusHistoryEntry(clock.EpochSeconds() + offsetSeconds, compound, errors);
    }

    /// <summary>A history as text: equal texts, equal histories (timestamps exactly, members in order).</summary>
    private static string Text(IReadOnlyList<StatusHistoryEntry> entries) => string.Join("\n", entries.Select(e =>
        $"{e.Timestamp.ToString("R", CultureInfo.InvariantCulture)} {JsonSerializer.Serialize(e.CompoundStatuses)} "
        + JsonSerializer.Serialize(e.TopTaskErrors)));

    private async Task<long> MostRowsOfATaskforceAsync()
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM public.wms_status_history GROUP BY taskforce_uuid) c");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> CountRowsAsync()
    {
        await using var command = database.DataSource.CreateCommand("SELECT count(*) FROM public.wms_status_history");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
