using System.Diagnostics;
using System.Net;
using System.Text;
using Wms.Api.Tests.Infrastructure;
using Wms.Api.Tests.Lifecycle;
using Wms.Testing;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.Telemetry;

/// <summary>
/// One workflow through every phase, with a refused and a failed submission, an MQS that fails and then says "try
/// again later" before it activates, TMS polls from known and unknown schedds and status reports: afterwards
/// <c>/metrics</c> holds exactly what happened, read back from the Prometheus text.
/// </summary>
/// <remarks>
/// Alone in its collection: meters are the process's, and a host's provider hears every host's meter of the same
/// name, so other tests' workflows running beside it would be counted too.
/// </remarks>
[Collection(TelemetryCollection.Name)]
public abstract class MetricsLifecycleTests
{
    protected abstract StorageMode Mode { get; }

    [Fact]
    public async Task OneWorkflowThroughEveryPhaseIsCountedExactly()
    {
        using var gate = new ManualResetEventSlim(false);
        await using var host = await LifecycleHost.StartAsync(Mode, s => s["MQS_REQUEST_TIMEOUT"] = "15");
        var started = Stopwatch.StartNew();
        try
        {
            await RunAsync(host, gate, started);
        }
        finally
        {
            gate.Set();
        }
    }

    private static async Task RunAsync(LifecycleHost host, ManualResetEventSlim gate, Stopwatch sinceStart)
    {
        var http = host.Server.Http;
        var mqs = host.FakeMqs;
        var user = host.User;

        // Nothing yet, and every phase shown as empty (the census counts from the start).
        var first = await ScrapeUntilAsync(http, m => m.Value("wms_taskforces", ("phase", PreMqActivation)) == 0,
            "the census's first count");
        Assert.Equal("gauge", first.Types["wms_taskforces"]);
        Assert.All(Phases, phase => Assert.Equal(0, first.Value("wms_taskforces", ("phase", phase))));
        Assert.Empty(first.Of("wms_workflows_created_total"));
        // Every configured schedd's poll age is shown before it ever polls.
        foreach (var schedd in new[] { WmsServer.AlphaSchedd, WmsServer.BetaSchedd })
        {
            foreach (var kind in new[] { PendingStarter, PendingStopper })
            {
                Assert.NotNull(first.Value("wms_tms_poll_age_seconds", ("schedd", schedd), ("kind", kind)));
            }
        }

        // A refused submission (400) and a failed one (the MQS cannot reserve: 503).
        var refused = await http.PostAsync("v0/workflows", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        mqs.FailReservationsWith(500);
        var failed = await http.PostAsync("v0/workflows",
            new StringContent(SimpleWorkflow(Alpha).ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        mqs.StopFailingReservations();

        // The MQS fails the first activation, asks to try again later on the second, and grants the third once
        // the test has seen the taskforce waiting.
        var attempts = 0;
        mqs.ActivationPolicy = _ => Interlocked.Increment(ref attempts) switch
        {
            // A refusal, not a 5xx: the client repeats those at once, which would make two attempts of one.
            1 => ActivationOutcome.Error(409),
            2 => ActivationOutcome.TryAgainLater(),
            _ => Granted(gate),
        };
        var beforePost = Stopwatch.GetTimestamp();
        var created = await user.CreateWorkflowAsync(SimpleWorkflow(Alpha));
        var afterPost = Stopwatch.GetTimestamp();
        var workflowId = WorkflowId(created);
        var uuid = Assert.Single(TaskforceUuids(created));

        var waiting = await ScrapeUntilAsync(http,
            m => Volatile.Read(ref attempts) >= 3 && m.Value("wms_taskforces", ("phase", PreMqActivation)) == 1,
            "the taskforce counted in pre-mq-activation while its activation is held");
        Assert.Equal(1, waiting.Value("wms_mq_activations_total", ("outcome", "mqs-error")));
        Assert.Equal(1, waiting.Value("wms_mq_activations_total", ("outcome", "try-again-later")));
        Assert.Null(waiting.Value("wms_mq_activations_total", ("outcome", "activated")));
        Assert.Equal(0, waiting.Value("wms_launch_queue_depth"));

        var released = Stopwatch.GetTimestamp();
        gate.Set();
        await host.WaitForPhaseAsync(uuid, PendingStarter);
        var seenStartable = Stopwatch.GetTimestamp();

        // The TMS at alpha is offered the taskforce, submits it, and is offered nothing more.
        Assert.Equal(uuid, Text((await host.Alpha.PollPendingStarterAsync())!["taskforce_uuid"]));
        await host.SubmitAsync(uuid);
        Assert.Null(await host.Alpha.PollPendingStarterAsync());
        // A schedd no location has, and a /v1 TMS at beta.
        Assert.Equal(HttpStatusCode.OK,
            (await http.GetAsync("v0/tms/pending-starter/taskforces?collector=C9&schedd=not-configured")).StatusCode);
        Assert.Equal(HttpStatusCode.OK,
            (await http.GetAsync($"v1/tms/pending-stopper/taskforces?schedd={WmsServer.BetaSchedd}")).StatusCode);

        // Two status reports on it, and one on a taskforce that does not exist (not counted).
        foreach (var tasking in new[] { 2, 3 })
        {
            var report = await host.Alpha.SendStatusesAsync(
                new Dictionary<string, Dictionary<string, Dictionary<string, int>>>
                {
                    [uuid] = new() { ["RUNNING"] = new() { ["Tasking"] = tasking } },
                }, null);
            Assert.Equal(200, report.StatusCode);
        }
        var unknown = await host.Alpha.SendStatusesAsync(
            new Dictionary<string, Dictionary<string, Dictionary<string, int>>>
            {
                ["TF-00000000-0000-0000-0000-000000000000"] = new() { ["RUNNING"] = new() { ["Tasking"] = 1 } },
            }, null, accept: [207]);
        Assert.Equal(207, unknown.StatusCode);

        // The user is done; the TMS removes the cluster, which completes.
        Assert.Equal(200, (await user.FinishedAsync(workflowId)).Status);
        await host.WaitForPhaseAsync(uuid, PendingStopper);
        var stopperPoll = Stopwatch.StartNew();
        Assert.Equal(uuid, Text((await host.Alpha.PollPendingStopperAsync())!["taskforce_uuid"]));
        Assert.True((await host.Alpha.RmAsync(uuid)).IsSuccess);
        Assert.True((await host.Alpha.CompleteAsync(uuid, 1_700_000_000)).IsSuccess);
        await host.WaitForPhaseAsync(uuid, CondorComplete);

        var end = await ScrapeUntilAsync(http, m => m.Value("wms_taskforces", ("phase", CondorComplete)) == 1,
            "the taskforce counted in condor-complete");
        var sinceStopperPoll = stopperPoll.Elapsed.TotalSeconds;

        Assert.All(Phases.Where(p => p != CondorComplete),
            phase => Assert.Equal(0, end.Value("wms_taskforces", ("phase", phase))));
        Assert.Equal(0, end.Value("wms_launch_queue_depth"));

        Assert.Equal("counter", end.Types["wms_workflows_created_total"]);
        AssertSeries(end, "wms_workflows_created_total", "outcome", new() { ["created"] = 1, ["refused"] = 1, ["failed"] = 1 });
        AssertSeries(end, "wms_mq_activations_total", "outcome",
            new() { ["mqs-error"] = 1, ["try-again-later"] = 1, ["activated"] = 1 });

        // Launched once, after the activation was released, and before the test saw it startable.
        Assert.Equal("histogram", end.Types["wms_taskforce_launch_duration_seconds"]);
        Assert.Equal(1, end.Value("wms_taskforce_launch_duration_seconds_count"));
        var launched = end.Value("wms_taskforce_launch_duration_seconds_sum")!.Value;
        Assert.InRange(launched, Stopwatch.GetElapsedTime(afterPost, released).TotalSeconds,
            Stopwatch.GetElapsedTime(beforePost, seenStartable).TotalSeconds);
        Assert.Equal(1, end.Value("wms_taskforce_launch_duration_seconds_bucket", ("le", "+Inf")));

        var polls = end.Of("wms_tms_polls_total")
            .ToDictionary(s => (s.Labels["schedd"], s.Labels["kind"]), s => s.Value);
        Assert.Equal(new Dictionary<(string, string), double>
        {
            [(WmsServer.AlphaSchedd, PendingStarter)] = 2,
            [(WmsServer.AlphaSchedd, PendingStopper)] = 1,
            [("other", PendingStarter)] = 1,
            [(WmsServer.BetaSchedd, PendingStopper)] = 1,
        }, polls);
        AssertSeries(end, "wms_tms_status_updates_total", "schedd", new() { [WmsServer.AlphaSchedd] = 2 });

        // Ages: alpha's stopper was polled just now; beta's starter never, so since the silo started.
        Assert.InRange(end.Value("wms_tms_poll_age_seconds", ("schedd", WmsServer.AlphaSchedd), ("kind", PendingStopper))!.Value,
            0, sinceStopperPoll);
        Assert.True(end.Value("wms_tms_poll_age_seconds", ("schedd", WmsServer.BetaSchedd), ("kind", PendingStarter))
            >= sinceStart.Elapsed.TotalSeconds - sinceStopperPoll);
        Assert.NotNull(end.Value("wms_tms_poll_age_seconds", ("schedd", "other"), ("kind", PendingStarter)));
    }

    private static readonly string[] Phases =
        [PreMqActivation, PreLaunch, PendingStarter, CondorSubmit, PendingStopper, CondorRm, CondorComplete];

    private static ActivationOutcome Granted(ManualResetEventSlim gate)
    {
        gate.Wait(TimeSpan.FromSeconds(15));
        return ActivationOutcome.Grant;
    }

    /// <summary>Exactly these series of <paramref name="name"/>, by the one label that tells them apart.</summary>
    private static void AssertSeries(PrometheusText scrape, string name, string label, Dictionary<string, double> expected)
    {
        var actual = scrape.Of(name).ToDictionary(s => s.Labels[label], s => s.Value);
        Assert.True(expected.Count == actual.Count && expected.All(kv => actual.GetValueOrDefault(kv.Key) == kv.Value),
            $"{name}: expected {string.Join(", ", expected)}, scraped {string.Join(", ", actual)}");
    }

    /// <summary>Scrapes until <paramref name="condition"/> holds; the phase gauges follow within the census period.</summary>
    private static async Task<PrometheusText> ScrapeUntilAsync(
        HttpClient http, Func<PrometheusText, bool> condition, string what)
    {
        PrometheusText? last = null;
        var reached = await Poll.UntilAsync(async () =>
        {
            last = await PrometheusText.ScrapeAsync(http);
            return condition(last);
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
        Assert.True(reached, $"never saw {what}; last scrape:\n{last?.Text}");
        return last!;
    }
}

public sealed class MemoryMetricsLifecycleTests : MetricsLifecycleTests
{
    protected override StorageMode Mode => StorageMode.Memory;
}

public sealed class PostgresMetricsLifecycleTests : MetricsLifecycleTests
{
    protected override StorageMode Mode => StorageMode.Postgres;
}
