using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Wms.Api.Configuration;
using Wms.Api.Telemetry;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Telemetry;

namespace Wms.Api.Tests.Telemetry;

public sealed class TmsPollMetricsTests
{
    private static TmsPollMetrics Make(InstrumentReader reader, ScheddPolls polls, TimeProvider time) =>
        new(reader.Metrics, polls, Options.Create(new ApiOptions
        {
            ClusterLocations = new()
            {
                ["alpha"] = new CondorPool { Collector = "C1", Schedd = "sub-1" },
                ["beta"] = new CondorPool { Collector = "C2", Schedd = "sub-2", Aliases = ["b"] },
            },
        }), time);

    [Fact]
    public void CountsPollsByConfiguredScheddAndAnyOtherAsOther()
    {
        using var reader = new InstrumentReader();
        var polls = new ScheddPolls();
        var metrics = Make(reader, polls, new FakeTimeProvider());

        metrics.Polled("sub-1", Phase.PendingStarter);
        metrics.Polled("sub-1", Phase.PendingStarter);
        metrics.Polled("sub-2", Phase.PendingStopper);
        metrics.Polled("made-up-1", Phase.PendingStarter);
        metrics.Polled("made-up-2", Phase.PendingStarter);

        var counted = reader.Recorded(WmsMetrics.TmsPolls)
            .GroupBy(m => (m.Tags["schedd"], m.Tags["kind"]))
            .ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
        Assert.Equal(new Dictionary<(string?, string?), double>
        {
            [("sub-1", Phase.PendingStarter)] = 2,
            [("sub-2", Phase.PendingStopper)] = 1,
            [(TmsPollMetrics.OtherSchedd, Phase.PendingStarter)] = 2,
        }, counted);
        // The names callers made up are not kept either.
        Assert.DoesNotContain(polls.Snapshot(), p => p.Schedd.StartsWith("made-up", StringComparison.Ordinal));
    }

    [Fact]
    public void AgeCountsFromTheSilosStartUntilTheFirstPollThenFromTheLatest()
    {
        using var reader = new InstrumentReader();
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var metrics = Make(reader, new ScheddPolls(), time);

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(new Dictionary<(string?, string?), double>
        {
            [("sub-1", Phase.PendingStarter)] = 30,
            [("sub-1", Phase.PendingStopper)] = 30,
            [("sub-2", Phase.PendingStarter)] = 30,
            [("sub-2", Phase.PendingStopper)] = 30,
        }, Ages(reader));

        metrics.Polled("sub-1", Phase.PendingStarter);
        time.Advance(TimeSpan.FromSeconds(4));
        metrics.Polled("somewhere", Phase.PendingStopper);
        time.Advance(TimeSpan.FromSeconds(1));
        var ages = Ages(reader);
        Assert.Equal(5, ages[("sub-1", Phase.PendingStarter)]);
        Assert.Equal(35, ages[("sub-2", Phase.PendingStopper)]);
        Assert.Equal(1, ages[(TmsPollMetrics.OtherSchedd, Phase.PendingStopper)]);
        Assert.Equal(35, ages[(TmsPollMetrics.OtherSchedd, Phase.PendingStarter)]);
        Assert.Equal(6, ages.Count);
    }

    private static Dictionary<(string?, string?), double> Ages(InstrumentReader reader) =>
        reader.Observe(WmsMetrics.TmsPollAge).ToDictionary(m => (m.Tags["schedd"], m.Tags["kind"]), m => m.Value);
}
