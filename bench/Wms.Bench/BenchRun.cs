using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;

namespace Wms.Bench;

/// <summary>
/// The phases of one run, in order: the two ceilings, the pending-starter probe at growing database sizes, the
/// isolated request classes (closed loops, as many clients as the ceilings), and the mixed load of users and TMS fleet.
/// </summary>
public sealed class BenchRun(
    BenchOptions options, Pools pools, BenchHttp wms, HostMonitor hostMonitor, Action<string> log)
{
    private readonly Lock _gate = new();
    private readonly List<string> _stored = [];
    private long _createdTaskforces;
    private long _serial;

    /// <summary>Taskforces this run created (seeded, isolated and mixed phases).</summary>
    public long CreatedTaskforces => Interlocked.Read(ref _createdTaskforces);

    private double Warmup => Math.Min(1.0, options.PhaseSeconds * 0.2);

    /// <summary>
    /// Both servers and this process are cold at first (JIT, tiering, connections): a second of each answer, unrecorded,
    /// before anything is measured.
    /// </summary>
    public async Task WarmUpAsync(Uri trivialAddress)
    {
        using var trivial = new BenchHttp(trivialAddress);
        var seconds = options.Smoke ? 0.5 : 2;
        await ClosedLoop.RunAsync(options.Clients, 0, seconds, Recorder.Discard(),
            (_, _, into) => trivial.GetAsync(into.Of("trivial"), TrivialServer.Path));
        await ClosedLoop.RunAsync(options.Clients, 0, seconds, Recorder.Discard(),
            (_, _, into) => wms.GetAsync(into.Of("root"), "v0/"));
    }

    /// <summary>The HTTP ceiling; measured first and again last, and the better of the two is the ceiling.</summary>
    public async Task<PhaseResult> HttpCeilingAsync(string phase, Uri trivialAddress, int trivialPid)
    {
        using var trivial = new BenchHttp(trivialAddress);
        await using var trivialMonitor = new HostMonitor(trivialPid);
        return await PhaseResult.MeasureAsync(phase,
            $"HTTP ceiling: GET /{TrivialServer.Path} answering {{}} from a bare ASP.NET Core process, {options.Clients} clients",
            trivialMonitor,
            (recorder, _) => ClosedLoop.RunAsync(options.Clients, Warmup, options.PhaseSeconds, recorder,
                (_, _, into) => trivial.GetAsync(into.Of("trivial"), TrivialServer.Path)));
    }

    public async Task<PhaseResult> DatabaseCeilingAsync(string connectionString)
    {
        // PostgreSQL is several processes; what it uses is not sampled.
        await using var none = new HostMonitor(null);
        return await PhaseResult.MeasureAsync("baseline-postgres",
            $"durability ceiling: autocommit single-row INSERTs into a throwaway table, {options.Clients} clients",
            none,
            (recorder, _) => PostgresCeiling.RunAsync(connectionString, options.Clients, Warmup, options.PhaseSeconds, recorder));
    }

    /// <summary>
    /// pending-starter latency at each stored size: seeds 30-taskforce workflows on the probe pool and finishes them
    /// (so they are stored, but never offered), keeps one unfinished workflow whose taskforces are what the polls are
    /// offered, and polls sequentially from one client.
    /// </summary>
    public Task<PhaseResult> ProbeAsync() => PhaseResult.MeasureAsync("probe",
        $"pending-starter latency, one client, {options.ProbePolls} polls at each stored size " +
        $"({string.Join(", ", options.ProbeSizes)} taskforces)",
        hostMonitor,
        async (recorder, extra) =>
        {
            var watch = Stopwatch.StartNew();
            var alive = await CreateAsync(recorder.Of("seed-workflow"), Shapes.Seed(pools.Probe, NextSerial()))
                ?? throw new InvalidOperationException("the probe's first workflow could not be created");
            var offered = alive.TaskforceUuids.ToHashSet(StringComparer.Ordinal);
            lock (_gate)
            {
                _stored.AddRange(alive.TaskforceUuids);
            }
            await WaitForOfferAsync(pools.Probe, TimeSpan.FromSeconds(60));
            var sizes = new JsonArray();
            foreach (var size in options.ProbeSizes)
            {
                var seeding = Stopwatch.StartNew();
                await SeedAsync(size, recorder);
                log($"  stored {StoredCount} taskforces in {seeding.Elapsed.TotalSeconds:F1} s");
                await Task.Delay(TimeSpan.FromSeconds(options.Smoke ? 0.3 : 2));

                var requestClass = ProbeClass(size);
                var record = recorder.Of(requestClass);
                var path = $"v0/tms/pending-starter/taskforces?{pools.Probe.PollQuery}";
                for (var i = 0; i < options.ProbePolls && !Deadline.Aborted; i++)
                {
                    var reply = await wms.GetAsync(record, path);
                    if (!reply.Ok)
                    {
                        continue;
                    }
                    var offer = Wire.ParseOffer(reply.Body);
                    if (offer is null || !offered.Contains(offer.Uuid))
                    {
                        record.Error($"pending-starter offered {offer?.Uuid ?? "nothing"}, not one of the probe's waiting taskforces");
                    }
                }
                sizes.Add(new JsonObject { ["stored_taskforces"] = StoredCount, ["request_class"] = requestClass });
            }
            extra["probe_sizes"] = sizes;
            return watch.Elapsed.TotalSeconds;
        });

    public static string ProbeClass(int size) => $"probe-pending-starter@{size.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The isolated phases: one request class at a time, closed loops of as many clients as the ceilings.</summary>
    public async Task<List<PhaseResult>> IsolatedAsync()
    {
        var results = new List<PhaseResult>();
        var stored = Stored();
        var random = new Random(5);

        results.Add(await IsolatedAsync("isolated-root", "root", "GET /v0/ of the service (its own trivial endpoint)",
            (_, _, record) => wms.GetAsync(record, "v0/")));

        results.Add(await IsolatedAsync("isolated-get-taskforce", "get-taskforce",
            $"GET /v0/taskforces/{{uuid}}, a random one of {stored.Count} stored",
            (_, _, record) =>
            {
                string uuid;
                lock (random)
                {
                    uuid = stored[random.Next(stored.Count)];
                }
                return wms.GetAsync(record, $"v0/taskforces/{uuid}");
            }));

        results.AddRange(await StarterPairAsync());

        // A TMS reports on the taskforces it runs, every few seconds, so their activations are warm: the newest
        // stored stand for a fleet's running set, and one unrecorded round of reports activates them first.
        var active = stored.Skip(Math.Max(0, stored.Count - options.ActiveTaskforces)).ToList();
        await ReportOnceAsync(active);
        results.Add(await StatusesAsync("isolated-statuses", active, firstRound: 1,
            $"the {active.Count} newest stored, reported on once before (a running set)"));
        // The same reports spread over everything stored: most of it idle and collected, so nearly every update
        // activates its taskforce first. Not a target; it shows what a report after a restart or a long silence costs.
        results.Add(await StatusesAsync("isolated-statuses-spread", stored, firstRound: 500,
            $"all {stored.Count} stored, most of them idle"));
        return results;
    }

    public const string IsolatedStarterV1 = "isolated-pending-starter-v1";

    /// <summary>Seconds of one slice of <see cref="StarterPairAsync"/>, about.</summary>
    private const double PairSliceSeconds = 2;

    /// <summary>
    /// The isolated pending-starter phase in both generations, on the same schedd: /v0 (collector and schedd) and /v1
    /// (schedd alone), each for <see cref="BenchOptions.PhaseSeconds"/> in all, in alternating slices (ABBA), so that
    /// a load from outside that comes and goes during the phases (the machine is shared) weighs on both alike and
    /// their ratio stays a comparison of the two paths.
    /// </summary>
    private async Task<List<PhaseResult>> StarterPairAsync()
    {
        var sides = new[]
        {
            new PairSide("isolated-pending-starter", "pending-starter",
                "GET /v0 pending-starter (collector and schedd) of a schedd with taskforces waiting (a taskforce is answered)",
                pools.Probe.PollPath(Generation.V0, "pending-starter"), Generation.V0),
            new PairSide(IsolatedStarterV1, Generation.V1.Class("pending-starter"),
                "GET /v1 pending-starter (schedd alone) of the same schedd: {taskforce, task_directive, mqprofiles} is " +
                $"answered, and every {WholeCheckEvery}th answer of each client read whole as TMS v1.2.4 reads it",
                pools.Probe.PollPath(Generation.V1, "pending-starter"), Generation.V1),
        };
        var slices = Math.Max(1, (int)Math.Round(options.PhaseSeconds / PairSliceSeconds));
        var sliceSeconds = options.PhaseSeconds / slices;
        foreach (var side in sides)
        {
            await ClosedLoop.RunAsync(options.Clients, 0, Warmup, Recorder.Discard(), side.Poll(this));
        }
        hostMonitor.TakePhasePeakRssMib();
        using var bench = Process.GetCurrentProcess();
        for (var slice = 0; slice < slices && !Deadline.Aborted; slice++)
        {
            foreach (var side in slice % 2 == 0 ? sides : sides.Reverse())
            {
                var serverCpu = hostMonitor.CpuSeconds();
                bench.Refresh();
                var benchCpu = bench.TotalProcessorTime;
                side.Seconds += await ClosedLoop.RunAsync(options.Clients, 0, sliceSeconds, side.Recorder, side.Poll(this));
                side.ServerCpu = serverCpu is { } before && hostMonitor.CpuSeconds() is { } after && side.ServerCpu is { } sum
                    ? sum + (after - before)
                    : null;
                bench.Refresh();
                side.BenchCpu += (bench.TotalProcessorTime - benchCpu).TotalSeconds;
            }
        }
        var peakRss = hostMonitor.TakePhasePeakRssMib();
        return [.. sides.Select(side => new PhaseResult
        {
            Name = side.Phase,
            Description = $"{side.Description}; {options.Clients} clients, closed loop, in {slices} slices alternating " +
                "with the other generation's",
            Seconds = side.Seconds,
            Classes = side.Recorder.Classes.Select(c => c.Stats(side.Seconds)).ToList(),
            ServerCpuSeconds = side.ServerCpu,
            BenchCpuSeconds = side.BenchCpu,
            ServerPeakRssMib = peakRss,
            Extra = new JsonObject { ["slices"] = slices, ["slice_seconds"] = Report.Round(sliceSeconds, 3) },
        })];
    }

    /// <summary>One generation's half of <see cref="StarterPairAsync"/>, and what its slices added up to.</summary>
    private sealed class PairSide(string phase, string requestClass, string description, string path, Generation generation)
    {
        public string Phase { get; } = phase;
        public string Description { get; } = description;
        public Recorder Recorder { get; } = new();
        public double Seconds { get; set; }
        public double? ServerCpu { get; set; } = 0;
        public double BenchCpu { get; set; }

        public Func<int, long, Recorder, Task> Poll(BenchRun run) =>
            (_, i, into) => run.PollStarterAsync(into.Of(requestClass), path, generation, i);
    }

    /// <summary>
    /// How often a client of the isolated /v1 phase reads an answer whole: reading every one would charge the
    /// client's share of the two cores, and so the /v1 rate, with parsing the /v0 phase does not do.
    /// </summary>
    private const int WholeCheckEvery = 16;

    /// <summary>
    /// One poll of the isolated pending-starter phases. Taskforces wait at the probe's pool, so <c>{}</c> is wrong in
    /// either generation; a /v1 answer must start as the answer with a taskforce does, and the first and every
    /// <see cref="WholeCheckEvery"/>th of each client is read whole.
    /// </summary>
    private async Task PollStarterAsync(ClassRecord record, string path, Generation generation, long iteration)
    {
        var reply = await wms.GetAsync(record, path);
        if (!reply.Ok)
        {
            return;
        }
        if (Wire.IsEmptyObject(reply.Body))
        {
            record.Error($"GET {path} answered {{}} with taskforces waiting");
            return;
        }
        if (generation == Generation.V0)
        {
            return;
        }
        if (!reply.Body.AsSpan().StartsWith("{\"taskforce\":{"u8))
        {
            record.Error($"GET {path} answered what is not {{taskforce, task_directive, mqprofiles}}");
            return;
        }
        if (iteration % WholeCheckEvery == 0)
        {
            try
            {
                _ = Wire.ParseStarterV1(reply.Body);
            }
            catch (Exception e) when (e is WireException or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
            {
                record.Error($"GET {path}: an answer TMS v1.2.4 cannot use: {e.Message}");
            }
        }
    }

    /// <summary>
    /// The isolated status phase's load on its own, for comparing two services in alternating slices
    /// (<see cref="HistoryComparison"/>): seeds <see cref="BenchOptions.ActiveTaskforces"/> taskforces and reports on
    /// each once, unrecorded; the answer is one bulk report over them, as <c>isolated-statuses</c> sends, every one
    /// changed, recorded as <c>statuses</c> into the recorder it is given.
    /// </summary>
    public async Task<Func<int, long, Recorder, Task>> SeededStatusReportsAsync()
    {
        await SeedAsync(options.ActiveTaskforces, Recorder.Discard());
        var active = Stored();
        await ReportOnceAsync(active);
        var chunks = active.Chunk(100).ToArray();
        var reports = 0L;
        return (_, _, into) =>
        {
            var n = Interlocked.Increment(ref reports) - 1;
            var chunk = chunks[n % chunks.Length];
            var round = 1 + (int)(n / chunks.Length);
            return wms.PostAsync(into.Of("statuses"), "v0/tms/statuses/taskforces", Shapes.Statuses(chunk, round), chunk.Length);
        };
    }

    /// <summary>
    /// Bulk status reports of 100 taskforces, in turn over <paramref name="uuids"/>. Every report changes what it
    /// reports (as the real TMS sends only changed taskforces): an unchanged status may cost the service nothing,
    /// and would flatter it.
    /// </summary>
    private Task<PhaseResult> StatusesAsync(string phase, List<string> uuids, int firstRound, string which)
    {
        var chunks = uuids.Chunk(100).ToArray();
        var reports = 0L;
        return IsolatedAsync(phase, "statuses",
            $"POST /v0/tms/statuses/taskforces, 100 taskforces a request, every one changed, over {which}; " +
            "items are taskforce updates",
            (_, _, record) =>
            {
                var n = Interlocked.Increment(ref reports) - 1;
                var chunk = chunks[n % chunks.Length];
                var round = firstRound + (int)(n / chunks.Length);
                return wms.PostAsync(record, "v0/tms/statuses/taskforces", Shapes.Statuses(chunk, round), chunk.Length);
            });
    }

    /// <summary>One round of status reports (round 0) over <paramref name="uuids"/>, unrecorded.</summary>
    private async Task ReportOnceAsync(List<string> uuids)
    {
        var chunks = uuids.Chunk(100).ToArray();
        var next = -1;
        var discard = Recorder.Discard();
        await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < chunks.Length && !Deadline.Aborted)
            {
                await wms.PostAsync(discard.Of("statuses"), "v0/tms/statuses/taskforces", Shapes.Statuses(chunks[i], 0),
                    chunks[i].Length);
            }
        })));
    }

    /// <summary>
    /// POST to pending-starter with nothing else going on: one workflow at a time, its first taskforce read back every
    /// few milliseconds until the service logs its move to pending-starter. The latency is that log entry's timestamp
    /// (the service's clock) minus the time the client sent the POST (the same machine's clock).
    /// </summary>
    public Task<PhaseResult> IsolatedLatencyAsync() => PhaseResult.MeasureAsync("isolated-e2e",
        "POST /v0/workflows (shape A) to the taskforce's pending-starter log entry, one workflow at a time, delays 0",
        hostMonitor,
        async (recorder, _) =>
        {
            var watch = Stopwatch.StartNew();
            var deadline = Deadline.In(options.PhaseSeconds);
            var latency = recorder.Of(PostToPendingStarter);
            var reads = Recorder.Discard().Of("read-back");
            while (!deadline.Passed)
            {
                var postedAt = Wire.Now();
                var created = await CreateAsync(recorder.Of("submit-a"), Shapes.ShapeA(pools.SoloA, pools.SoloB, NextSerial()));
                if (created is null)
                {
                    continue;
                }
                var path = $"v0/taskforces/{created.TaskforceUuids[0]}";
                var limit = Deadline.In(30);
                double? reachedAt = null;
                while (reachedAt is null && !limit.Passed)
                {
                    var reply = await wms.GetAsync(reads, path);
                    reachedAt = reply.Ok ? Wire.ParseOffer(reply.Body)?.PendingStarterTs : null;
                    if (reachedAt is null)
                    {
                        await Task.Delay(2);
                    }
                }
                if (reachedAt is { } ts)
                {
                    latency.Success((ts - postedAt) * 1000);
                }
                else
                {
                    latency.Error($"{created.TaskforceUuids[0]} not in pending-starter 30 s after its POST");
                }
            }
            return watch.Elapsed.TotalSeconds;
        });

    public const string PostToPendingStarter = "post-to-pending-starter";

    /// <summary>Workflow submission alone; its taskforces go to two pools that no TMS serves.</summary>
    public Task<PhaseResult> IsolatedSubmitAsync() => IsolatedAsync("isolated-submit", "submit-a",
        "POST /v0/workflows, shape A (1 task on 2 locations, 2 queues), embedded MQS",
        (_, _, record) => CreateAsync(record, Shapes.ShapeA(pools.SoloA, pools.SoloB, NextSerial())));

    /// <summary>
    /// After the probe: the seeding of 100,000 taskforces leaves the service collecting their idle activations and
    /// PostgreSQL vacuuming their tables, whichever isolated phase happens to run then. The bench vacuums the database
    /// itself (when it has a connection string) and waits out the rest of <see cref="BenchOptions.ProbeSettle"/>,
    /// more than the service's idle age of 30 s with its 10 s beat.
    /// </summary>
    public async Task<JsonObject> SettleAfterProbeAsync(string? connectionString)
    {
        var watch = Stopwatch.StartNew();
        var deadline = Deadline.In(options.ProbeSettle);
        double? vacuumSeconds = null;
        if (connectionString is not null && options.ProbeSettle > 0)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var vacuum = new NpgsqlCommand("VACUUM (ANALYZE)", connection) { CommandTimeout = 600 };
            await vacuum.ExecuteNonQueryAsync();
            vacuumSeconds = watch.Elapsed.TotalSeconds;
        }
        await deadline.SleepAsync(deadline.SecondsLeft);
        var seconds = watch.Elapsed.TotalSeconds;
        if (options.ProbeSettle > 0)
        {
            log($"  settled after the probe in {seconds:F1} s{(vacuumSeconds is { } v ? $" (VACUUM (ANALYZE) {v:F1} s)" : "")}");
        }
        return new JsonObject
        {
            ["before_phase"] = "isolated",
            ["vacuum_seconds"] = vacuumSeconds is { } done ? Report.Round(done, 2) : null,
            ["seconds"] = Report.Round(seconds, 2),
        };
    }

    /// <summary>
    /// Waits (up to <paramref name="limitSeconds"/>) until no taskforce is on its way to pending-starter, so that a
    /// phase does not pay for the background work of the one before. What it drained, and how fast, is a figure too:
    /// the throughput of MQ activation and launch control.
    /// </summary>
    public async Task<JsonObject> SettleAsync(string before, double limitSeconds)
    {
        var watch = Stopwatch.StartNew();
        var deadline = Deadline.In(limitSeconds);
        var query = Shapes.Find(new JsonObject
        {
            ["phase"] = new JsonObject { ["$in"] = new JsonArray("pre-mq-activation", "pre-launch") },
        }, "taskforce_uuid");
        var discard = Recorder.Discard().Of("settle");
        int? first = null;
        var left = -1;
        while (!deadline.Passed)
        {
            var reply = await wms.PostAsync(discard, "v0/query/taskforces", query);
            left = reply.Ok ? Wire.CountFound(reply.Body, "taskforces") : -1;
            first ??= reply.Ok ? left : null;
            if (left == 0)
            {
                break;
            }
            await Task.Delay(100);
        }
        var seconds = watch.Elapsed.TotalSeconds;
        var settle = new JsonObject
        {
            ["before_phase"] = before,
            ["taskforces_waiting"] = first,
            ["taskforces_left"] = left,
            ["seconds"] = Report.Round(seconds, 2),
            ["taskforces_per_second"] = first is > 0 && left == 0 ? Report.Round(first.Value / seconds, 1) : null,
        };
        if (first is > 0)
        {
            log($"  settled before {before}: {first} taskforces waiting, {(left == 0 ? "all" : $"{first - left}")} through in {seconds:F1} s");
        }
        if (left != 0 && !Deadline.Aborted)
        {
            log($"  warning: {left} taskforces still on their way to pending-starter after {limitSeconds} s");
        }
        return settle;
    }

    private Task<PhaseResult> IsolatedAsync(
        string phase, string requestClass, string description, Func<int, long, ClassRecord, Task> request) =>
        PhaseResult.MeasureAsync(phase, $"{description}; {options.Clients} clients, closed loop", hostMonitor,
            (recorder, _) => ClosedLoop.RunAsync(options.Clients, Warmup, options.PhaseSeconds, recorder,
                (worker, i, into) => request(worker, i, into.Of(requestClass))));

    public Task<PhaseResult> MixedAsync() => new MixedLoad(options, pools, wms, hostMonitor, this).RunAsync();

    /// <summary>POSTs a workflow; returns it, or null when the request failed (recorded).</summary>
    public async Task<CreatedWorkflow?> CreateAsync(ClassRecord record, byte[] body, Generation generation = Generation.V0)
    {
        var reply = await wms.PostAsync(record, $"{generation.Prefix()}/workflows", body);
        if (!reply.Ok)
        {
            return null;
        }
        var created = Wire.ParseCreated(reply.Body);
        Interlocked.Add(ref _createdTaskforces, created.TaskforceUuids.Count);
        return created;
    }

    public long NextSerial() => Interlocked.Increment(ref _serial);

    private int StoredCount
    {
        get
        {
            lock (_gate)
            {
                return _stored.Count;
            }
        }
    }

    private List<string> Stored()
    {
        lock (_gate)
        {
            return [.. _stored];
        }
    }

    private async Task SeedAsync(int size, Recorder recorder)
    {
        var needed = (int)Math.Ceiling((size - StoredCount) / (double)Shapes.SeedTaskforces);
        var next = -1;
        var done = 0;
        var step = Math.Max(1, needed / 10);
        var workers = Enumerable.Range(0, options.Clients).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < needed && !Deadline.Aborted)
            {
                var created = await CreateAsync(recorder.Of("seed-workflow"), Shapes.Seed(pools.Probe, NextSerial()));
                if (created is null)
                {
                    continue;
                }
                lock (_gate)
                {
                    _stored.AddRange(created.TaskforceUuids);
                }
                await wms.PostAsync(recorder.Of("seed-finish"), $"v0/workflows/{created.WorkflowId}/actions/finished", Shapes.EmptyObject);
                var count = Interlocked.Increment(ref done);
                if (needed >= 100 && count % step == 0)
                {
                    log($"  seeding: {count}/{needed} workflows");
                }
            }
        }));
        await Task.WhenAll(workers);
    }

    private async Task WaitForOfferAsync(Pool pool, TimeSpan limit)
    {
        var deadline = Deadline.In(limit.TotalSeconds);
        var discard = Recorder.Discard().Of("wait");
        while (!deadline.Passed)
        {
            var reply = await wms.GetAsync(discard, $"v0/tms/pending-starter/taskforces?{pool.PollQuery}");
            if (reply.Ok && Wire.ParseOffer(reply.Body) is not null)
            {
                return;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"nothing reached pending-starter at {pool.Schedd} within {limit.TotalSeconds} s");
    }
}
