using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wms.Bench;

/// <summary>
/// The service as it is used, all at once for a fixed time: users submitting workflows (shapes A and B), reading them
/// back, querying their taskforces and finishing them; a TMS per schedd starting, stopping, completing and reporting
/// statuses; and users querying taskforces by phase. The TMS and the users each speak the generation
/// <see cref="BenchOptions.GenerationOf"/> gives them; the queriers, an operator's view by collector, speak /v0.
/// </summary>
public sealed class MixedLoad(
    BenchOptions options, Pools pools, BenchHttp wms, HostMonitor hostMonitor, BenchRun run)
{
    private static readonly string[] QueriedPhases = ["pending-starter", "condor-submit", "condor-complete"];

    // When each workflow was POSTed (client clock), and when each taskforce reached pending-starter (service clock)
    // and was first offered to its TMS (client clock): joined at the end, so that no lookup races a response.
    private readonly ConcurrentDictionary<string, double> _posted = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string WorkflowId, double? PendingStarterTs, double OfferedAt, Generation Tms)> _offers = new();
    private long _mixedTaskforces;
    private long _active;
    private long _peakActive;
    private long _raceRejections;
    private long _phaseCheckSkips;
    private long _watcherBacklog;
    private readonly WatchLoad? _watch = options.Watchers > 0 ? new WatchLoad(options, wms.BaseAddress) : null;

    public Task<PhaseResult> RunAsync() => PhaseResult.MeasureAsync("mixed",
        $"{options.Users} users ({(options.Rate > 0 ? $"{options.Rate} workflows/s in all" : "unpaced")}, every " +
        $"{options.ShapeBEvery}th of shape B), {options.Schedds} TMS (statuses every {options.StatusInterval} s), " +
        $"{options.Queriers} queriers, for {options.Duration} s; TMS and users on {FleetApis()}" +
        (options.Watchers > 0 ? $"; {options.Watchers} live watchers in {options.WatchRounds} windows, and a GET prober" : ""),
        hostMonitor,
        async (recorder, extra) =>
        {
            var watch = Stopwatch.StartNew();
            var deadline = Deadline.In(options.Duration);
            var actors = new List<Task>();
            actors.AddRange(Enumerable.Range(0, options.Users).Select(u => Task.Run(() => UserAsync(u, deadline, recorder))));
            actors.AddRange(pools.Fleet.Select((pool, i) => Task.Run(() => TmsAsync(pool, i, deadline, recorder))));
            actors.AddRange(Enumerable.Range(0, options.Queriers).Select(q => Task.Run(() => QuerierAsync(q, deadline, recorder))));
            if (_watch is not null)
            {
                actors.Add(Task.Run(() => _watch.RunAsync(options.Duration, extra)));
            }
            await Task.WhenAll(actors);
            var seconds = watch.Elapsed.TotalSeconds;
            Summarise(extra, seconds);
            return seconds;
        });

    private void Summarise(JsonObject extra, double seconds)
    {
        var toPendingStarter = new List<double>();
        var toOffer = new List<double>();
        var toOfferBy = new Dictionary<Generation, List<double>> { [Generation.V0] = [], [Generation.V1] = [] };
        foreach (var (workflowId, pendingStarterTs, offeredAt, tms) in _offers)
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
            toOfferBy[tms].Add((offeredAt - postedAt) * 1000);
        }
        var created = Interlocked.Read(ref _mixedTaskforces);
        extra["e2e_post_to_pending_starter"] = Distribution(toPendingStarter,
            "ms from the client's POST /v0/workflows to the service's timestamp of the taskforce's move to pending-starter");
        extra["e2e_post_to_tms_offer"] = Distribution(toOffer,
            $"ms from POST to the first pending-starter answer that offered the taskforce (includes the TMS's poll interval of {options.TmsPollInterval} s)");
        var byGeneration = new JsonObject();
        foreach (var (generation, values) in toOfferBy.Where(g => options.FleetSpeaks(g.Key)))
        {
            byGeneration[generation.Prefix()] = Distribution(values, $"the same, for taskforces offered to a /{generation.Prefix()} TMS");
        }
        extra["e2e_post_to_tms_offer_by_generation"] = byGeneration;
        extra["tms_generations"] = new JsonArray(pools.Fleet.Select((p, i) =>
            (JsonNode)new JsonObject { ["schedd"] = p.Schedd, ["api"] = options.GenerationOf(i).Prefix() }).ToArray());
        extra["v1_phase_check_skips"] = Interlocked.Read(ref _phaseCheckSkips);
        extra["v1_watcher_backlog"] = Interlocked.Read(ref _watcherBacklog);
        extra["taskforces_created"] = created;
        extra["taskforces_offered"] = toOffer.Count;
        extra["peak_active_taskforces"] = Interlocked.Read(ref _peakActive);
        extra["condor_submit_races"] = Interlocked.Read(ref _raceRejections);
        extra["workflows_per_second"] = Report.Round(_posted.Count / seconds, 1);
    }

    private string FleetApis() => options.TmsApi == "both" ? "/v0 and /v1 alternately" : "/" + options.TmsApi;

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
        var generation = options.GenerationOf(user);
        var api = generation.Prefix();
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
                ? Shapes.ShapeB(pools.Fleet.Skip(first).Concat(pools.Fleet.Take(first)).ToList(), serial, generation)
                : Shapes.ShapeA(pools.Fleet[first], pools.Fleet[(first + 1) % pools.Fleet.Count], serial, generation);
            var postedAt = Wire.Now();
            var created = await run.CreateAsync(recorder.Of(generation.Class(shapeB ? "submit-b" : "submit-a")), body, generation);
            if (created is not null)
            {
                _posted[created.WorkflowId] = postedAt;
                _watch?.Created(created);
                Interlocked.Add(ref _mixedTaskforces, created.TaskforceUuids.Count);
                mine.Enqueue((created.WorkflowId, postedAt));
                recent.Add(created);
                if (recent.Count > 50)
                {
                    recent.RemoveAt(0);
                }

                await wms.GetAsync(recorder.Of(generation.Class("get-workflow")), $"{api}/workflows/{created.WorkflowId}");
                var earlier = recent[random.Next(recent.Count)];
                var taskforce = earlier.TaskforceUuids[random.Next(earlier.TaskforceUuids.Count)];
                await wms.GetAsync(recorder.Of(generation.Class("get-taskforce")), $"{api}/taskforces/{taskforce}");
                if (serial % 2 == 0)
                {
                    // A workflow's taskforces (at most 30) fit one /v1 page.
                    var query = Shapes.Find(new JsonObject { ["workflow_id"] = earlier.WorkflowId },
                        "taskforce_uuid", "phase", "compound_statuses");
                    await wms.PostAsync(recorder.Of(generation.Class("query-by-workflow")), $"{api}/query/taskforces", query);
                }
            }

            var now = Wire.Now();
            while (mine.TryPeek(out var oldest) && now - oldest.PostedAt >= options.WorkflowSeconds && !deadline.Passed)
            {
                mine.Dequeue();
                await wms.PostAsync(recorder.Of(generation.Class("finish-workflow")),
                    $"{api}/workflows/{oldest.WorkflowId}/actions/finished", Shapes.EmptyObject);
            }
        }
    }

    /// <summary>Requests of one kind a simulated TMS sends in one round before it sleeps.</summary>
    private const int MaxPerRound = 1000;

    /// <summary>
    /// The TMS of one schedd: rounds of taking every pending-starter taskforce (submitting each) and completing the
    /// clusters whose time is up; beside them, as the real TMS runs its starter and stopper apart, rounds of taking
    /// every pending-stopper one (removing and completing each), and a status report for every running taskforce
    /// every few seconds, 100 a request. On /v1 it behaves as TMS v1.2.4: it reads each pending-starter answer whole,
    /// reads the taskforce's phase back before submitting, logs every cluster of the day to one job event log, and
    /// its watcher finds the taskforce of each new cluster in that log.
    /// </summary>
    private async Task TmsAsync(Pool pool, int index, Deadline deadline, Recorder recorder)
    {
        var tms = new Tms(pool, options.GenerationOf(index));
        var random = new Random(2000 + index);
        var nextClusterId = 100_000L * (index + 1);
        var statuses = Task.Run(() => StatusesAsync(tms, deadline, recorder));
        var stoppers = Task.Run(() => StopperAsync(tms, deadline, recorder));
        var watcher = tms.Generation == Generation.V1 ? Task.Run(() => WatcherAsync(tms, deadline, recorder)) : Task.CompletedTask;
        var starter = pool.PollPath(tms.Generation, "pending-starter");
        Func<byte[], OfferedTaskforce?> read = tms.Generation == Generation.V0 ? Wire.ParseOffer : Wire.ParseStarterV1;

        while (!deadline.Passed)
        {
            await TakeOffersAsync(recorder.Of(tms.Class("pending-starter")), starter, read, deadline, async offer =>
            {
                _offers.Enqueue((offer.WorkflowId, offer.PendingStarterTs, Wire.Now(), tms.Generation));
                if (tms.Generation == Generation.V1 && !await StillPendingStarterAsync(tms, offer.Uuid, recorder))
                {
                    return;
                }
                var clusterId = nextClusterId++;
                var body = tms.Generation == Generation.V0
                    ? Shapes.CondorSubmit(offer.Uuid, clusterId, offer.NWorkers, pool)
                    : Shapes.CondorSubmit(offer.Uuid, clusterId, offer.NWorkers, pool, tms.Log, offer.CondorRequirements);
                var submit = await wms.PostAsync(recorder.Of(tms.Class("condor-submit")),
                    $"{tms.Api}/tms/condor-submit/taskforces/{offer.Uuid}", body, tolerated: 404);
                if (submit.Ok)
                {
                    var lifetime = options.RunSeconds * (1 + (2 * random.NextDouble()));
                    lock (tms.Running)
                    {
                        tms.Running[offer.Uuid] = Wire.Now() + lifetime;
                    }
                    InterlockedMax(ref _peakActive, Interlocked.Increment(ref _active));
                    if (tms.Generation == Generation.V1)
                    {
                        tms.NewClusters.Enqueue((clusterId, offer.Uuid));
                    }
                }
                else if (submit.Status == 404)
                {
                    await JudgeRejectedSubmitAsync(tms, offer.Uuid, recorder);
                }
            });

            List<string> due;
            var now = Wire.Now();
            lock (tms.Running)
            {
                due = tms.Running.Where(r => r.Value <= now).Select(r => r.Key).ToList();
            }
            foreach (var uuid in due)
            {
                if (deadline.Passed)
                {
                    break;
                }
                await CompleteAsync(tms, uuid, recorder);
            }

            await deadline.SleepAsync(options.TmsPollInterval);
        }
        await stoppers;
        await statuses;
        await watcher;
        Interlocked.Add(ref _watcherBacklog, tms.NewClusters.Count);
    }

    /// <summary>What one simulated TMS keeps: its pool, its generation, its running clusters and its day's log.</summary>
    private sealed class Tms(Pool pool, Generation generation)
    {
        public Pool Pool { get; } = pool;
        public Generation Generation { get; } = generation;
        public string Api { get; } = generation.Prefix();

        /// <summary>Today's TMS logs every cluster of a day to one file; the /v0 one has a file per cluster.</summary>
        public string Log { get; } = Shapes.DayLog(pool);

        /// <summary>The running taskforces and when their clusters complete; locked on itself.</summary>
        public Dictionary<string, double> Running { get; } = new(StringComparer.Ordinal);

        /// <summary>Clusters submitted that the /v1 watcher has not yet looked up.</summary>
        public ConcurrentQueue<(long ClusterId, string Uuid)> NewClusters { get; } = new();

        public string Class(string name) => Generation.Class(name);
    }

    /// <summary>
    /// TMS v1.2.4's last look before a submit: the taskforce read back, and skipped unless still pending-starter (its
    /// workflow was finished in between).
    /// </summary>
    private async Task<bool> StillPendingStarterAsync(Tms tms, string uuid, Recorder recorder)
    {
        var check = await wms.GetAsync(recorder.Of(tms.Class("phase-check")), $"{tms.Api}/taskforces/{uuid}");
        if (check.Ok && Wire.Phase(check.Body) is "pending-starter")
        {
            return true;
        }
        if (check.Ok)
        {
            Interlocked.Increment(ref _phaseCheckSkips);
        }
        return false;
    }

    /// <summary>The TMS's stopper: rounds of taking every pending-stopper taskforce, removing and completing each.</summary>
    private async Task StopperAsync(Tms tms, Deadline deadline, Recorder recorder)
    {
        var stopper = tms.Pool.PollPath(tms.Generation, "pending-stopper");
        while (!deadline.Passed)
        {
            await TakeOffersAsync(recorder.Of(tms.Class("pending-stopper")), stopper, Wire.ParseOffer, deadline, async offer =>
            {
                var removed = await wms.PostAsync(recorder.Of(tms.Class("condor-rm")),
                    $"{tms.Api}/tms/condor-rm/taskforces/{offer.Uuid}", Shapes.EmptyObject);
                if (removed.Ok)
                {
                    await CompleteAsync(tms, offer.Uuid, recorder);
                }
            });
            await deadline.SleepAsync(options.TmsPollInterval);
        }
    }

    /// <summary>
    /// One round of a TMS poll: takes what it offers until <c>{}</c>, at most a round's worth. An answer the TMS
    /// could not use is an error, and ends the round as it would end the real TMS's.
    /// </summary>
    private async Task TakeOffersAsync(
        ClassRecord record, string path, Func<byte[], OfferedTaskforce?> read, Deadline deadline,
        Func<OfferedTaskforce, Task> take)
    {
        for (var i = 0; i < MaxPerRound && !deadline.Passed; i++)
        {
            var reply = await wms.GetAsync(record, path);
            if (!reply.Ok)
            {
                return;
            }
            OfferedTaskforce? offer;
            try
            {
                offer = read(reply.Body);
            }
            catch (Exception e) when (e is WireException or FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                record.Error($"GET {path}: an answer the TMS cannot use: {e.Message}");
                return;
            }
            if (offer is null)
            {
                return;
            }
            await take(offer);
        }
    }

    private async Task CompleteAsync(Tms tms, string uuid, Recorder recorder)
    {
        var completed = await wms.PostAsync(recorder.Of(tms.Class("condor-complete")),
            $"{tms.Api}/tms/condor-complete/taskforces/{uuid}", Shapes.CondorComplete((long)Wire.Now()));
        if (!completed.Ok)
        {
            return;
        }
        bool was;
        lock (tms.Running)
        {
            was = tms.Running.Remove(uuid);
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
    private async Task JudgeRejectedSubmitAsync(Tms tms, string uuid, Recorder recorder)
    {
        var check = await wms.GetAsync(recorder.Of(tms.Class("submit-race-check")), $"{tms.Api}/taskforces/{uuid}");
        if (check.Ok && Wire.Phase(check.Body) is { } phase && phase != "pending-starter")
        {
            Interlocked.Increment(ref _raceRejections);
            return;
        }
        recorder.Of(tms.Class("condor-submit")).Error($"404 to condor-submit of {uuid}, still in pending-starter");
    }

    private async Task StatusesAsync(Tms tms, Deadline deadline, Recorder recorder)
    {
        for (var round = 0; !deadline.Passed; round++)
        {
            await deadline.SleepAsync(options.StatusInterval);
            List<string> uuids;
            lock (tms.Running)
            {
                uuids = [.. tms.Running.Keys];
            }
            foreach (var chunk in uuids.Chunk(100))
            {
                if (deadline.Passed)
                {
                    break;
                }
                await wms.PostAsync(recorder.Of(tms.Class("statuses")), $"{tms.Api}/tms/statuses/taskforces",
                    Shapes.Statuses(chunk, round), chunk.Length);
            }
        }
    }

    /// <summary>
    /// TMS v1.2.4's watcher: on its own beat (the status interval here), it reads its job event log and finds the
    /// taskforce of each cluster it has not seen before, one find each, reading the first item of the first page. A
    /// find that names another taskforce, or none, is an error: the real TMS would ignore that cluster for good.
    /// </summary>
    private async Task WatcherAsync(Tms tms, Deadline deadline, Recorder recorder)
    {
        var record = recorder.Of(tms.Class("watcher-find"));
        while (!deadline.Passed)
        {
            await deadline.SleepAsync(options.StatusInterval);
            while (!deadline.Passed && tms.NewClusters.TryDequeue(out var cluster))
            {
                var reply = await wms.PostAsync(record, $"{tms.Api}/query/taskforces",
                    Shapes.WatcherFind(tms.Pool, tms.Log, cluster.ClusterId));
                if (reply.Ok && Wire.FoundTaskforceUuids(reply.Body) is var found && (found.Count == 0 || found[0] != cluster.Uuid))
                {
                    record.Error($"the watcher's find of cluster {cluster.ClusterId} named {(found.Count == 0 ? "nothing" : found[0])}, not {cluster.Uuid}");
                }
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
