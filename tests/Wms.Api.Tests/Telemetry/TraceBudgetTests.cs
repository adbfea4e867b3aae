using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry.Trace;
using Wms.Api.Tests.Infrastructure;
using Wms.Silo.Telemetry;
using Wms.Testing;

namespace Wms.Api.Tests.Telemetry;

/// <summary>The service's own sampler, and that it is the default once traces are exported.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TraceBudgetTests
{
    private static readonly SamplingParameters Root = new(
        default, ActivityTraceId.CreateRandom(), "GET /v0/", ActivityKind.Server);

    [Fact]
    public void KeepsABurstThenOnePerIntervalAsTheBudgetRefills()
    {
        var time = new FakeTimeProvider();
        var sampler = new TraceBudgetSampler(4, time);

        Assert.Equal(4, Kept(sampler, 10));
        time.Advance(TimeSpan.FromMilliseconds(249));
        Assert.Equal(0, Kept(sampler, 1));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, Kept(sampler, 10));

        // Unused budget adds up to one burst, never more.
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(4, Kept(sampler, 100));
    }

    [Fact]
    public void SamplersRacingForTheBudgetTakeNoMoreThanIt()
    {
        var time = new FakeTimeProvider();
        var sampler = new TraceBudgetSampler(50, time);
        var kept = 0;
        Parallel.For(0, 10_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            if (sampler.ShouldSample(Root).Decision == SamplingDecision.RecordAndSample)
            {
                Interlocked.Increment(ref kept);
            }
        });
        Assert.Equal(50, kept);
    }

    [Fact]
    public async Task AServiceExportingTracesKeepsItsBudgetUnlessToldOtherwise()
    {
        await using var sink = await OtlpSink.StartAsync();
        var spans = new SpanCollection();
        await using var server = await WmsServer.StartAsync(StorageMode.Memory, sink.Settings,
            builder => builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            Assert.True((await server.Http.GetAsync("v0/")).IsSuccessStatusCode);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        // The last request's span ends just after its answer: the first of them is in once it is.
        Assert.True(await Poll.UntilAsync(() => Requests(spans).Count > 0, TimeSpan.FromSeconds(10)));
        var budget = WmsTelemetry.TracesPerSecond * (1 + seconds) + 1;
        Assert.InRange(Requests(spans).Count, 1, (int)budget);
    }

    private static List<Activity> Requests(SpanCollection spans) =>
        [.. spans.Snapshot().Where(a => a.Kind == ActivityKind.Server && a.GetTagItem("http.route") as string == "/v0/")];

    private static int Kept(Sampler sampler, int asked) =>
        Enumerable.Range(0, asked).Count(_ => sampler.ShouldSample(Root).Decision == SamplingDecision.RecordAndSample);
}
