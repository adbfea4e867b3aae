using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Wms.Bench;

/// <summary>
/// The service as it is used, all at once for a fixed time: users submitting workflows (shapes A and B), reading them
/// back, querying their taskforces and finishing them; a TMS per schedd starting, stopping, completing and reporting
/// statuses; and users querying taskforces by phase.
/// </summary>
public sealed class MixedLoad(
    BenchOptions options, Pools pools, BenchHttp wms, HostMonitor hostMonitor, BenchRun run)
{
    private static readonly string[] QueriedPhases = ["pending-starter", "condor-submit", "condor-complete"];

    // When each workflow was POSTed (client clock), and when each taskforce reached pending-starter (service clock)
    // and was first offered to its TMS (client clock): joined at the end, so that no lookup races a response.
    private readonly ConcurrentDictionary<string, double> _posted = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string WorkflowId, double? PendingStarterTs, double OfferedAt)> _offers = new();
    private long _mixedTaskforces;
    private long _active;
    private long _peakActive;
    private long _raceRejections;

    public Task<PhaseResult> RunAsync() => PhaseResult.MeasureAsync("mixed",
        $"{options.Users} users ({(options.Rate > 0 ? $"{options.Rate} workflows/s in all" : "unpaced")}, every " +
        $"{options.ShapeBEvery}th of shape B), {options.Schedds} TMS (statuses every {options.StatusInterval} s), " +
        $"{options.Queriers} queriers, for {options.Duration} s",
        hostMonitor,
        async (recorder, extra) =>
        {
            var watch = Stopwatch.StartNew();
            var deadline = Deadline.In(options.Duration);
            var actors = new List<Task>();
            actors.AddRange(Enumerable.Range(0, options.Users).Select(u => Task.Run(() => UserAsync(u, deadline, recorder))));
            actors.AddRange(pools.Fleet.Select((pool, i) => Task.Run(() => TmsAsync(pool, i, deadline, recorder))));
            actors.AddRange(Enumerable.Range(0, options.Queriers).Select(q => Task.Run(() => QuerierAsync(q, deadline, recorder))));
            await Task.WhenAll(actors);
            var seconds = watch.Elapsed.TotalSeconds;
            Summarise(extra, seconds);
            return seconds;
        });

    private void Summarise(JsonObject extra, double seconds)
    {
        var toPendingStarter = new List<double>();
        var toOffer = new List<double>();
        foreach (var (workflowId, pendingStarterTs, offeredAt) in _offers)
        {
            if (!_posted.TryGetValue(workflowId, out var postedAt))
            {
                continue;
            }
            if (pendingStarterTs is { } ts)
            {
                toPendingStarter.Add((ts - postedAt) * 1000);
            }
            toOffer.Add((offeredAt - postedAt) * 1000);
        }
        var created = Interlocked.Read(ref _mixedTaskforces);
        extra["e2e_post_to_pending_starter"] = Distribution(toPendingStarter,
            "ms from the client's POST /v0/workflows to the service's timestamp of the taskforce's move to pending-starter");
        extra["e2e_post_to_tms_offer"] = Distribution(toOffer,
            $"ms from POST to the first pending-starter answer that offered the taskforce (includes the TMS's poll interval of {options.TmsPollInterval} s)");
        extra["taskforces_created"] = created;
        extra["taskforces_offered"] = toOffer.Count;
        extra["peak_active_taskforces"] = Interlocked.Read(ref _peakActive);
        extra["condor_submit_races"] = Interlocked.Read(ref _raceRejections);
        extra["workflows_per_second"] = Report.Round(_posted.Count / seconds, 1);
    }

    private static JsonObject Distribution(List<double> values, string description)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return new JsonObject
        {
            ["description"] = description,
            ["count"] = sorted.Length,
            ["p50_ms"] = Report.Round(ClassStats.Percentile(sorted, 0.50), 3),
            ["p95_ms"] = Report.Round(ClassStats.Percentile(sorted, 0.95), 3),
            ["p99_ms"] = Report.Round(ClassStats.Percentile(sorted, 0.99), 3),
            ["max_ms"] = Report.Round(sorted.Length > 0 ? sorted[^1] : 0, 3),
        };
    }

    /// <summary>
    /// A user: submits (paced so that all users together keep <c>--rate</c>), reads the workflow and one of its
    /// taskforces back, queries the taskforces of an earlier workflow, and finishes workflows once they are old enough.
    /// </summary>
    private async Task UserAsync(int user, Deadline deadline, Recorder recorder)
    {
        var random = new Random(1000 + user);
        var mine = new Queue<(string WorkflowId, double PostedAt)>();
        var recent = new List<CreatedWorkflow>();
        var interval = options.Rate > 0 ? options.Users / options.Rate : 0;
        var next = Stopwatch.GetTimestamp() + (long)(random.NextDouble() * interval * Stopwatch.Frequency);
        while (!deadline.Passed)
        {
            if (interval > 0)
            {
                var wait = (next - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency;
                await deadline.SleepAsync(wait);
                if (deadline.Passed)
                {
                    break;
                }
                // After a stall, carry on at the rate rather than bursting to catch up.
                next = Math.Max(next, Stopwatch.GetTimestamp() - Stopwatch.Frequency) + (long)(interval * Stopwatch.Frequency);
            }

            var serial = run.NextSerial();
            var shapeB = serial % options.ShapeBEvery == 0;
            var first = (int)(serial % pools.Fleet.Count);
            var body = shapeB
                ? Shapes.ShapeB(pools.Fleet.Skip(first).Concat(pools.Fleet.Take(first)).ToList(), serial)
                : Shapes.ShapeA(pools.Fleet[first], pools.Fleet[(first + 1) % pools.Fleet.Count], serial);
            var postedAt = Wire.Now();
            var created = await run.CreateAsync(recorder.Of(shapeB ? "submit-b" : "submit-a"), body);
            if (created is not null)
            {
                _posted[created.WorkflowId] = postedAt;
                Interlocked.Add(ref _mixedTaskforces, created.TaskforceUuids.Count);
                mine.Enqueue((created.WorkflowId, postedAt));
                recent.Add(created);
                if (recent.Count > 50)
                {
                    recent.RemoveAt(0);
                }

                await wms.GetAsync(recorder.Of("get-workflow"), $"v0/workflows/{created.WorkflowId}");
                var earlier = recent[random.Next(recent.Count)];
                var taskforce = earlier.TaskforceUuids[random.Next(earlier.TaskforceUuids.Count)];
                await wms.GetAsync(recorder.Of("get-taskforce"), $"v0/taskforces/{taskforce}");
                if (serial % 2 == 0)
                {
                    var query = Shapes.Find(new JsonObject { ["workflow_id"] = earlier.WorkflowId },
                        "taskforce_uuid", "phase", "compound_statuses");
                    await wms.PostAsync(recorder.Of("query-by-workflow"), "v0/query/taskforces", query);
                }
            }

            var now = Wire.Now();
            while (mine.TryPeek(out var oldest) && now - oldest.PostedAt >= options.WorkflowSeconds && !deadline.Passed)
            {
                mine.Dequeue();
                await wms.PostAsync(recorder.Of("finish-workflow"), $"v0/workflows/{oldest.WorkflowId}/actions/finished", Shapes.EmptyObject);
            }
        }
    }

    /// <summary>Requests of one kind a simulated TMS sends in one round before it sleeps.</summary>
    private const int MaxPerRound = 1000;

    /// <summary>
    /// The TMS of one schedd: rounds of taking every pending-starter taskforce (submitting each) and completing the
    /// clusters whose time is up; beside them, as the real TMS runs its starter and stopper apart, rounds of taking
    /// every pending-stopper one (removing and completing each), and a status report for every running taskforce
    /// every few seconds, 100 a request.
    /// </summary>
    private async Task TmsAsync(Pool pool, int index, Deadline deadline, Recorder recorder)
    {
        var random = new Random(2000 + index);
        var running = new Dictionary<string, double>(StringComparer.Ordinal);
        var nextClusterId = 100_000L * (index + 1);
        var statuses = Task.Run(() => StatusesAsync(running, deadline, recorder));
        var stoppers = Task.Run(() => StopperAsync(pool, running, deadline, recorder));
        var starter = $"v0/tms/pending-starter/taskforces?{pool.PollQuery}";

        while (!deadline.Passed)
        {
            await TakeOffersAsync("pending-starter", starter, deadline, recorder, async offer =>
            {
                _offers.Enqueue((offer.WorkflowId, offer.PendingStarterTs, Wire.Now()));
                var clusterId = nextClusterId++;
                var submit = await wms.PostAsync(recorder.Of("condor-submit"), $"v0/tms/condor-submit/taskforces/{offer.Uuid}",
                    Shapes.CondorSubmit(offer.Uuid, clusterId, offer.NWorkers, pool), tolerated: 404);
                if (submit.Ok)
                {
                    var lifetime = options.RunSeconds * (1 + (2 * random.NextDouble()));
                    lock (running)
                    {
                        running[offer.Uuid] = Wire.Now() + lifetime;
                    }
                    InterlockedMax(ref _peakActive, Interlocked.Increment(ref _active));
                }
                else if (submit.Status == 404)
                {
                    await JudgeRejectedSubmitAsync(offer.Uuid, recorder);
                }
            });

            List<string> due;
            var now = Wire.Now();
            lock (running)
            {
                due = running.Where(r => r.Value <= now).Select(r => r.Key).ToList();
            }
            foreach (var uuid in due)
            {
                if (deadline.Passed)
                {
                    break;
                }
                await CompleteAsync(uuid, running, recorder);
            }

            await deadline.SleepAsync(options.TmsPollInterval);
        }
        await stoppers;
        await statuses;
    }

    /// <summary>The TMS's stopper: rounds of taking every pending-stopper taskforce, removing and completing each.</summary>
    private async Task StopperAsync(Pool pool, Dictionary<string, double> running, Deadline deadline, Recorder recorder)
    {
        var stopper = $"v0/tms/pending-stopper/taskforces?{pool.PollQuery}";
        while (!deadline.Passed)
        {
            await TakeOffersAsync("pending-stopper", stopper, deadline, recorder, async offer =>
            {
                var removed = await wms.PostAsync(recorder.Of("condor-rm"), $"v0/tms/condor-rm/taskforces/{offer.Uuid}", Shapes.EmptyObject);
                if (removed.Ok)
                {
                    await CompleteAsync(offer.Uuid, running, recorder);
                }
            });
            await deadline.SleepAsync(options.TmsPollInterval);
        }
    }

    /// <summary>One round of a TMS poll: takes what it offers until <c>{}</c>, at most a round's worth.</summary>
    private async Task TakeOffersAsync(
        string requestClass, string path, Deadline deadline, Recorder recorder, Func<OfferedTaskforce, Task> take)
    {
        for (var i = 0; i < MaxPerRound && !deadline.Passed; i++)
        {
            var reply = await wms.GetAsync(recorder.Of(requestClass), path);
            if (!reply.Ok || Wire.ParseOffer(reply.Body) is not { } offer)
            {
                return;
            }
            await take(offer);
        }
    }

    private async Task CompleteAsync(string uuid, Dictionary<string, double> running, Recorder recorder)
    {
        var completed = await wms.PostAsync(recorder.Of("condor-complete"), $"v0/tms/condor-complete/taskforces/{uuid}",
            Shapes.CondorComplete((long)Wire.Now()));
        if (!completed.Ok)
        {
            return;
        }
        bool was;
        lock (running)
        {
            was = running.Remove(uuid);
        }
        if (was)
        {
            Interlocked.Decrement(ref _active);
        }
    }

    /// <summary>
    /// A 404 to condor-submit is right when the user finished the workflow between the offer and the submit; it is an
    /// error otherwise.
    /// </summary>
    private async Task JudgeRejectedSubmitAsync(string uuid, Recorder recorder)
    {
        var check = await wms.GetAsync(recorder.Of("submit-race-check"), $"v0/taskforces/{uuid}");
        if (check.Ok && Wire.Phase(check.Body) is { } phase && phase != "pending-starter")
        {
            Interlocked.Increment(ref _raceRejections);
            return;
        }
        recorder.Of("condor-submit").Error($"404 to condor-submit of {uuid}, still in pending-starter");
    }

    private async Task StatusesAsync(Dictionary<string, double> running, Deadline deadline, Recorder recorder)
    {
        for (var round = 0; !deadline.Passed; round++)
        {
            await deadline.SleepAsync(options.StatusInterval);
            List<string> uuids;
            lock (running)
            {
                uuids = [.. running.Keys];
            }
            foreach (var chunk in uuids.Chunk(100))
            {
                if (deadline.Passed)
                {
                    break;
                }
                await wms.PostAsync(recorder.Of("statuses"), "v0/tms/statuses/taskforces", Shapes.Statuses(chunk, round), chunk.Length);
            }
        }
    }

    /// <summary>A user (or operator's dashboard) listing the taskforces of a schedd in one phase.</summary>
    private async Task QuerierAsync(int querier, Deadline deadline, Recorder recorder)
    {
        for (var i = querier; !deadline.Passed; i++)
        {
            var pool = pools.Fleet[i % pools.Fleet.Count];
            var query = Shapes.Find(new JsonObject
            {
                ["phase"] = QueriedPhases[i % QueriedPhases.Length],
                ["collector"] = pool.Collector,
                ["schedd"] = pool.Schedd,
            }, "taskforce_uuid", "phase");
            await wms.PostAsync(recorder.Of("query-by-phase"), "v0/query/taskforces", query);
            await deadline.SleepAsync(options.QueryInterval);
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }
}
