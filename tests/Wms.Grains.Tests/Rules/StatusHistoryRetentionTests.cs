using Wms.Domain.Rules;

namespace Wms.Grains.Tests.Rules;

/// <summary>
/// Retention of a taskforce's status history: recent entries whole, older ones thinned to the first of each
/// interval, the first entry always, and a cap; applying it again changes nothing.
/// </summary>
public sealed class StatusHistoryRetentionTests
{
    private const double Hour = 3600;
    private const double Minute = 60;

    // Recent: the last hour or the last 3 entries; older: one per 10 minutes; at most 10 entries.
    private static readonly StatusHistoryRetention Rule =
        new(TimeSpan.FromHours(1), 3, TimeSpan.FromMinutes(10), 10);

    private static IReadOnlyList<double> Apply(StatusHistoryRetention rule, IReadOnlyList<double> times, double now) =>
        rule.Apply(times, t => t, now);

    [Fact]
    public void EverythingRecentIsKeptWhole()
    {
        var now = 100 * Hour;
        var times = Enumerable.Range(0, 9).Select(i => now - 50 * Minute + i).Select(t => (double)t).ToList();

        Assert.Equal(times, Apply(Rule, times, now));
    }

    [Fact]
    public void OlderEntriesAreThinnedToTheFirstOfEachInterval()
    {
        var now = 100 * Hour;
        var start = 90 * Hour;
        // Every minute for an hour, nine hours ago: six intervals of ten minutes, ten entries in each.
        var old = Enumerable.Range(0, 60).Select(i => start + i * Minute).ToList();
        var recent = new[] { now - 5 * Minute, now - Minute };

        var kept = Apply(Rule, [.. old, .. recent], now);

        // The last old entry is one of the last three, so it is kept by count.
        var firstOfEachInterval = Enumerable.Range(0, 6).Select(i => start + i * 10 * Minute);
        Assert.Equal([.. firstOfEachInterval, old[^1], .. recent], kept);
    }

    [Fact]
    public void TheLastEntriesAreKeptWholeWhateverTheirAge()
    {
        var now = 100 * Hour;
        // Five entries in one interval, all older than an hour: the last three are kept by count, the first as first.
        var times = Enumerable.Range(0, 5).Select(i => 50 * Hour + i).Select(t => (double)t).ToList();

        Assert.Equal([times[0], times[2], times[3], times[4]], Apply(Rule, times, now));
    }

    [Fact]
    public void TheFirstEntryIsKeptThroughThinningAndTheCap()
    {
        var now = 100 * Hour;
        // The first entry shares its interval with the second; then one a minute for the last 50 minutes.
        var times = new List<double> { 10 * Hour + 1, 10 * Hour + 2 };
        times.AddRange(Enumerable.Range(0, 50).Select(i => now - 50 * Minute + i * Minute));

        var kept = Apply(Rule, times, now);

        Assert.Equal(10, kept.Count);
        Assert.Equal(times[0], kept[0]);
        Assert.Equal(times.TakeLast(9), kept.Skip(1));
    }

    [Fact]
    public void TheCapKeepsTheFirstAndTheNewest()
    {
        var now = 100 * Hour;
        // One entry per interval for thirty intervals, none recent but the count's last three: none is thinned.
        var times = Enumerable.Range(0, 30).Select(i => 10 * Hour + i * 10 * Minute).Select(t => (double)t).ToList();

        var kept = Apply(Rule, times, now);

        Assert.Equal([times[0], .. times.TakeLast(9)], kept);
    }

    [Fact]
    public void IntervalsAreFixedToTheEpoch()
    {
        var now = 100 * Hour;
        var interval = 10 * Minute;
        // Two entries a second apart that straddle an interval's start are both firsts of their intervals.
        var boundary = 20 * Hour + 3 * interval;
        var times = new[] { 10 * Hour, boundary - 1, boundary, boundary + 1 };
        var rule = new StatusHistoryRetention(TimeSpan.FromHours(1), 0, TimeSpan.FromMinutes(10), 10);

        Assert.Equal([10 * Hour, boundary - 1, boundary], Apply(rule, times, now));
    }

    [Fact]
    public void ApplyingItTwiceChangesNothing()
    {
        var random = new Random(17);
        for (var round = 0; round < 200; round++)
        {
            var now = 100 * Hour;
            var times = RandomHistory(random, now);
            var once = Apply(Rule, times, now);
            var twice = Apply(Rule, once, now);
            Assert.Equal(once, twice);
            Assert.True(once.Count <= Rule.MaxEntries);
            Assert.Equal(times[0], once[0]);
        }
    }

    [Fact]
    public void BelowTheCapAnEarlierApplicationChangesNothingLater()
    {
        // Stable over time: entries kept as old stay kept, so trimming now and again later gives what trimming
        // only later gives, as long as the cap did not drop any.
        var rule = new StatusHistoryRetention(TimeSpan.FromHours(1), 3, TimeSpan.FromMinutes(10), 1000);
        var random = new Random(71);
        for (var round = 0; round < 200; round++)
        {
            var later = 100 * Hour;
            var earlier = later - random.Next(1, 20) * Hour;
            var times = RandomHistory(random, earlier);
            var newer = Enumerable.Range(1, random.Next(0, 30)).Select(i => earlier + i * 7 * Minute).ToList();

            var trimmedEarlier = Apply(rule, times, earlier);
            var trimmedTwice = Apply(rule, [.. trimmedEarlier, .. newer], later);

            Assert.Equal(Apply(rule, [.. times, .. newer], later), trimmedTwice);
        }
    }

    [Fact]
    public void AnEmptyHistoryStaysEmpty() => Assert.Empty(Apply(Rule, [], 100 * Hour));

    [Fact]
    public void RefusesARuleThatCannotKeepAChange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new StatusHistoryRetention(TimeSpan.FromHours(1), 0, TimeSpan.FromMinutes(10), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new StatusHistoryRetention(TimeSpan.FromHours(1), 0, TimeSpan.Zero, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new StatusHistoryRetention(TimeSpan.FromHours(-1), 0, TimeSpan.FromMinutes(10), 10));
    }

    /// <summary>Oldest first, up to a day before <paramref name="now"/>, bursts and gaps alike.</summary>
    private static List<double> RandomHistory(Random random, double now)
    {
        var times = new List<double>();
        var t = now - 24 * Hour;
        var count = random.Next(1, 80);
        for (var i = 0; i < count && t < now; i++)
        {
            times.Add(t);
            t += random.Next(3) == 0 ? random.Next(1, 3 * 3600) : random.Next(1, 120);
        }
        return times;
    }
}
