using Wms.Api.Telemetry;
using Wms.Domain.Index;
using Wms.Domain.Model;

namespace Wms.Api.Tests.Telemetry;

public sealed class ScheddPollsTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void KeepsTheLatestPollOfEachScheddAndKind()
    {
        var polls = new ScheddPolls();
        Assert.Empty(polls.Snapshot());

        polls.Record("sub-1", Phase.PendingStarter, T0.AddSeconds(1));
        polls.Record("sub-1", Phase.PendingStarter, T0.AddSeconds(3));
        // Served at once, recorded late: an older poll changes nothing.
        polls.Record("sub-1", Phase.PendingStarter, T0.AddSeconds(2));
        polls.Record("sub-1", Phase.PendingStopper, T0.AddSeconds(5));
        polls.Record("sub-2", Phase.PendingStarter, T0);

        Assert.Equal(
            [
                new ScheddPoll("sub-1", Phase.PendingStarter, T0.AddSeconds(3)),
                new ScheddPoll("sub-1", Phase.PendingStopper, T0.AddSeconds(5)),
                new ScheddPoll("sub-2", Phase.PendingStarter, T0),
            ],
            polls.Snapshot().OrderBy(p => p.Schedd, StringComparer.Ordinal).ThenBy(p => p.Kind, StringComparer.Ordinal));
    }

    [Fact]
    public void APollIsForStartingOrStopping()
    {
        var polls = new ScheddPolls();
        Assert.Throws<ArgumentOutOfRangeException>(() => polls.Record("sub-1", Phase.CondorSubmit, T0));
        Assert.Throws<ArgumentNullException>(() => polls.Record(null!, Phase.PendingStarter, T0));
        Assert.Empty(polls.Snapshot());
    }

    [Fact]
    public void HoldsAtMostItsCapacityAndKeepsUpdatingWhatItHolds()
    {
        var polls = new ScheddPolls();
        for (var i = 0; i < ScheddPolls.Capacity + 50; i++)
        {
            polls.Record($"schedd-{i}", Phase.PendingStarter, T0);
        }
        Assert.Equal(ScheddPolls.Capacity, polls.Snapshot().Count);
        Assert.DoesNotContain(polls.Snapshot(), p => p.Schedd == $"schedd-{ScheddPolls.Capacity}");

        polls.Record("schedd-0", Phase.PendingStarter, T0.AddMinutes(1));
        Assert.Equal(T0.AddMinutes(1), polls.Snapshot().Single(p => p.Schedd == "schedd-0").At);
    }

    [Fact]
    public void PollsRecordedTogetherLeaveTheLatest()
    {
        var polls = new ScheddPolls();
        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i => polls.Record($"sub-{i % 3}", Phase.PendingStarter, T0.AddTicks(i)));
        var latest = polls.Snapshot().ToDictionary(p => p.Schedd, p => p.At);
        Assert.Equal(T0.AddTicks(19_998), latest["sub-0"]);
        Assert.Equal(T0.AddTicks(19_999), latest["sub-1"]);
        Assert.Equal(T0.AddTicks(19_997), latest["sub-2"]);
    }

    [Fact]
    public void RecordingAKnownScheddAllocatesNothing()
    {
        var polls = new ScheddPolls();
        var schedd = "sub-1.icecube.wisc.edu";
        polls.Record(schedd, Phase.PendingStarter, T0);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1; i <= 1_000; i++)
        {
            polls.Record(schedd, Phase.PendingStarter, T0.AddTicks(i));
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(T0.AddTicks(1_000), Assert.Single(polls.Snapshot()).At);
    }
}
