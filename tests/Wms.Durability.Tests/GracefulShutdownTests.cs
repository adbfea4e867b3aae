using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Wms.Testing;
using Xunit.Abstractions;

namespace Wms.Durability.Tests;

/// <summary>
/// Two silos behind a load balancer, under load; one is told to stop (SIGTERM). Its readiness turns 503 at once, so
/// the balancer turns away; it finishes what it was given, leaves the cluster and exits 0. No client gets a 5xx, and
/// the survivor serves everything at once: the membership change is seen without waiting for probe timeouts (they
/// are long here, so that a silo that merely vanished would take visibly long to be noticed).
/// </summary>
public sealed class GracefulShutdownTests(ITestOutputHelper output)
{
    private const int Clients = 4;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>Well under the ~60 s (3 missed probes of 20 s) the survivor would take to notice a silo that vanished.</summary>
    private static readonly TimeSpan AtOnce = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How soon all work accepted before the exit is launched: a third of what a vanished silo would cost (its grains
    /// and loops unreachable until it is declared dead), with room for a loaded machine.
    /// </summary>
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(20);

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["WMS_SHUTDOWN_DRAIN"] = "3",
        ["WMS_SHUTDOWN_TIMEOUT"] = "30",
        ["Orleans__ClusterMembership__ProbeTimeout"] = "00:00:20",
        ["Orleans__ClusterMembership__NumMissedProbesLimit"] = "3",
        ["Orleans__ClusterMembership__IAmAliveTablePublishTimeout"] = "00:05:00",
        // The resends of calls a leaving silo rejected, for the record.
        ["Logging__LogLevel__Wms.Api.Errors"] = "Information",
    };

    [Fact]
    public async Task ASiloToldToStopLeavesWithoutCostingAnyClientAnything()
    {
        var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        await using var leaving = new SiloProcess(database, Settings);
        await using var survivor = new SiloProcess(database, Settings);
        await leaving.StartAsync();
        await survivor.StartAsync();
        Assert.True(await Poll.UntilAsync(async () => await ActiveSilosAsync(leaving) == 2 && await ActiveSilosAsync(survivor) == 2,
            Deadline, TimeSpan.FromMilliseconds(200)), "the silos never saw each other");

        await using var balancer = new LoadBalancer(leaving, survivor);
        var accepted = new ConcurrentDictionary<string, int>();
        var answeredBy = new ConcurrentDictionary<int, int>();
        var failures = new ConcurrentQueue<string>();
        using var stopLoad = new CancellationTokenSource();
        var load = Enumerable.Range(0, Clients).Select(client => System.Threading.Tasks.Task.Run(async () =>
        {
            for (var n = client * 100_000; !stopLoad.IsCancellationRequested; n++)
            {
                try
                {
                    var (created, creator) = await balancer.SendAsync(h => h.PostAsJsonAsync("v0/workflows", WorkflowShapes.Request(n)));
                    using (created)
                    {
                        var text = await created.Content.ReadAsStringAsync();
                        answeredBy.AddOrUpdate(creator.RestPort, 1, (_, c) => c + 1);
                        if (created.StatusCode != HttpStatusCode.OK)
                        {
                            failures.Enqueue($"POST v0/workflows at :{creator.RestPort} answered {(int)created.StatusCode}: {text}");
                            continue;
                        }
                        var id = JsonNode.Parse(text)!["workflow"]!["workflow_id"]!.GetValue<string>();
                        accepted[id] = creator.RestPort;
                        var (read, reader) = await balancer.SendAsync(h => h.GetAsync($"v0/workflows/{id}"));
                        using (read)
                        {
                            answeredBy.AddOrUpdate(reader.RestPort, 1, (_, c) => c + 1);
                            if (read.StatusCode != HttpStatusCode.OK)
                            {
                                failures.Enqueue($"GET v0/workflows/{id} at :{reader.RestPort} answered {(int)read.StatusCode}: " +
                                    await read.Content.ReadAsStringAsync());
                            }
                        }
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
                {
                    failures.Enqueue($"a request failed: {e}");
                }
            }
        })).ToList();

        TimeSpan exitedAfter, seenGoneAfter, launchedAfter;
        int acceptedAtExit, answeredAfterTerm;
        long termAt, exitedAt;
        try
        {
            // Load on both silos first.
            Assert.True(await Poll.UntilAsync(() => answeredBy.GetValueOrDefault(leaving.RestPort) >= 100 &&
                answeredBy.GetValueOrDefault(survivor.RestPort) >= 100, Deadline), string.Join("\n", failures));
            var answeredBeforeTerm = answeredBy.GetValueOrDefault(leaving.RestPort);
            var clock = Stopwatch.StartNew();
            termAt = Stopwatch.GetTimestamp();

            await leaving.TerminateAsync();

            var exitCode = await leaving.WaitForExitAsync(TimeSpan.FromSeconds(30));
            exitedAfter = clock.Elapsed;
            exitedAt = Stopwatch.GetTimestamp();
            answeredAfterTerm = answeredBy.GetValueOrDefault(leaving.RestPort) - answeredBeforeTerm;
            var exited = exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing within 30 s";
            Assert.True(exitCode == 0, $"the silo exited with {exited}:\n{leaving.Output}");
            Assert.True(leaving.Errors.Length == 0, $"the leaving silo wrote to standard error:\n{leaving.Errors}");

            // The survivor sees the silo gone at once, and serves every workflow it was ever told of, at once.
            Assert.True(await Poll.UntilAsync(async () => await ActiveSilosAsync(survivor) == 1, AtOnce, TimeSpan.FromMilliseconds(50)),
                $"the survivor did not see the silo leave within {AtOnce.TotalSeconds} s");
            seenGoneAfter = clock.Elapsed - exitedAfter;
            foreach (var id in accepted.Keys)
            {
                using var read = await survivor.Http.GetAsync($"v0/workflows/{id}");
                Assert.True(read.StatusCode == HttpStatusCode.OK, $"{id} answered {(int)read.StatusCode} right after the exit");
            }

            // Every workflow accepted so far goes on: activated and launched, by the survivor, at once.
            acceptedAtExit = accepted.Count;
            var beforeExit = accepted.Keys.ToHashSet();
            Assert.True(await Poll.UntilAsync(() => AllLaunchedAsync(survivor, beforeExit), Promptly, TimeSpan.FromMilliseconds(250)),
                $"not every workflow accepted before the exit was launched within {Promptly.TotalSeconds} s:\n{survivor.Output}");
            launchedAfter = clock.Elapsed - exitedAfter;

            // The load goes on against the survivor alone for a while, then stops.
            Assert.True(await Poll.UntilAsync(() => accepted.Count >= acceptedAtExit + 20, Deadline), string.Join("\n", failures));
        }
        finally
        {
            await stopLoad.CancelAsync();
            await System.Threading.Tasks.Task.WhenAll(load);
        }

        Assert.True(failures.IsEmpty, $"{failures.Count} requests failed:\n{string.Join("\n", failures.Take(20))}\n{balancer.Notes}");
        // Readiness answered 503 during the drain, before the silo stopped listening: that is what turned the balancer away.
        Assert.Contains(balancer.NotReadyAnswersOf(leaving), at => at > termAt && at < exitedAt);

        // Nothing accepted is lost: every workflow answered 200 is there, activated and launched, each step once.
        var workflowIds = accepted.Keys.ToHashSet();
        Assert.True(await Poll.UntilAsync(() => AllLaunchedAsync(survivor, workflowIds), Deadline, TimeSpan.FromMilliseconds(250)),
            $"not every accepted workflow was launched:\n{survivor.Output}");
        var workflows = await WorkflowShapes.FindAsync(survivor.Http, "workflows", [], "workflow_id", "mq_activated_ts");
        Assert.Empty(workflowIds.Except(workflows.Select(w => w!["workflow_id"]!.GetValue<string>())));
        Assert.All(workflows, w => Assert.NotNull(w!["mq_activated_ts"]));
        var logs = await WorkflowShapes.FindAsync(survivor.Http, "taskforces", [], "taskforce_uuid", "phase_change_log");
        Assert.All(logs, tf => Assert.Equal(3, tf!["phase_change_log"]!.AsArray().Count));
        await WorkflowShapes.AssertNothingHalfCreatedAsync(survivor.Http, noOrphans: true);

        // For the record (test output): how the stop went.
        output.WriteLine($"exit after {exitedAfter.TotalSeconds:F1} s, {answeredAfterTerm} answers by it after SIGTERM; " +
            $"survivor saw it gone {seenGoneAfter.TotalSeconds:F1} s and had launched all earlier work {launchedAfter.TotalSeconds:F1} s " +
            $"after; {accepted.Count} workflows accepted ({acceptedAtExit} before the exit); answers by silo: " +
            string.Join(", ", answeredBy.Select(a => $":{a.Key}={a.Value}")) + $" (leaving :{leaving.RestPort})" +
            $"; resends: {CountOf(leaving.Output, "never reached its grain")} + {CountOf(survivor.Output, "never reached its grain")}\n{balancer.Notes}");
    }

    [Fact]
    public async Task ASiloWithWatchersConnectedStillStopsPromptly()
    {
        var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        await using var silo = new SiloProcess(database, Settings);
        await silo.StartAsync();
        var workflows = new List<string>();
        for (var n = 0; n < 5; n++)
        {
            using var created = await silo.Http.PostAsJsonAsync("v0/workflows", WorkflowShapes.Request(n));
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            workflows.Add(JsonNode.Parse(await created.Content.ReadAsStringAsync())!["workflow"]!["workflow_id"]!.GetValue<string>());
        }
        var streams = new List<EventStreamClient>();
        try
        {
            for (var i = 0; i < 50; i++)
            {
                var stream = await EventStreamClient.OpenAsync(silo.Http, $"v0/workflows/{workflows[i % workflows.Count]}/events");
                Assert.Equal(HttpStatusCode.OK, stream.Status);
                streams.Add(stream);
                Assert.Equal("snapshot", (await stream.NextAsync(Deadline))?.Name);
            }
            var clock = Stopwatch.StartNew();

            await silo.TerminateAsync();

            // Every stream ends at once, while the drain still goes on; the silo then stops as it would without them.
            foreach (var stream in streams)
            {
                Assert.True(await stream.WaitForEndAsync(TimeSpan.FromSeconds(2)), $"a stream was still open {clock.Elapsed} after SIGTERM");
            }
            var endedAfter = clock.Elapsed;
            var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(30));
            var exitedAfter = clock.Elapsed;
            Assert.True(exitCode == 0, $"the silo exited with {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing within 30 s"}:\n{silo.Output}");
            Assert.True(silo.Errors.Length == 0, $"the silo wrote to standard error:\n{silo.Errors}");
            // The drain is 3 s; a stop held up by the streams would take the whole 30 s of WMS_SHUTDOWN_TIMEOUT.
            Assert.True(exitedAfter < TimeSpan.FromSeconds(15), $"the silo took {exitedAfter.TotalSeconds:F1} s to exit");
            output.WriteLine($"{streams.Count} streams ended {endedAfter.TotalSeconds:F1} s and the silo exited {exitedAfter.TotalSeconds:F1} s after SIGTERM");
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }

    /// <summary>Whether every one of <paramref name="workflowIds"/> has all its taskforces released to the TMS.</summary>
    private static async Task<bool> AllLaunchedAsync(SiloProcess silo, HashSet<string> workflowIds)
    {
        var taskforces = await WorkflowShapes.FindAsync(silo.Http, "taskforces", [], "workflow_id", "phase");
        var ours = taskforces.Where(t => workflowIds.Contains(t!["workflow_id"]!.GetValue<string>())).ToList();
        return ours.Count == workflowIds.Count * WorkflowShapes.TaskforcesPerWorkflow &&
            ours.All(t => t!["phase"]!.GetValue<string>() == "pending-starter");
    }

    /// <summary>How many silos <paramref name="silo"/>'s readiness says are active; 0 when it does not answer.</summary>
    private static async Task<int> ActiveSilosAsync(SiloProcess silo)
    {
        try
        {
            using var answer = await silo.Http.GetAsync("readyz");
            var body = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
            return body["checks"]!["silo"]!["data"]!["active_silos"]!.GetValue<int>();
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
