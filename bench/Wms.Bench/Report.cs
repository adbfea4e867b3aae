using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;

namespace Wms.Bench;

/// <summary>One performance target (Docs/performance.md) and what this run measured for it.</summary>
public sealed record Target(string Name, string Goal, double? Measured, string Unit, bool? Met, string? Note = null);

/// <summary>Turns the phases of a run into the JSON result, the table on stdout, the targets and the sanity verdict.</summary>
public sealed class Report
{
    private const double MiB = 1024;
    private readonly BenchOptions _options;
    private readonly IReadOnlyList<PhaseResult> _phases;
    private readonly JsonObject _context;
    private readonly double? _peakRssMib;
    private readonly long _createdTaskforces;

    public Report(BenchOptions options, IReadOnlyList<PhaseResult> phases, JsonObject context, double? peakRssMib,
        long createdTaskforces, IEnumerable<string> failures)
    {
        _options = options;
        _phases = phases;
        _context = context;
        _peakRssMib = peakRssMib;
        _createdTaskforces = createdTaskforces;
        Targets = ComputeTargets();
        var fatal = failures.ToList();
        // After a failure that stopped the run, the classes it never reached are no news.
        Problems = fatal.Count > 0 ? fatal : Sanity().Distinct().ToList();
    }

    public IReadOnlyList<Target> Targets { get; }

    /// <summary>Why the output cannot be trusted: errors, missing classes, zero figures. Empty when sane.</summary>
    public IReadOnlyList<string> Problems { get; }

    public long TotalErrors => _phases.SelectMany(p => p.Classes).Sum(c => c.Errors);

    public static JsonNode? Round(double value, int digits) =>
        double.IsFinite(value) ? JsonValue.Create(Math.Round(value, digits)) : null;

    private PhaseResult? Phase(string name) => _phases.FirstOrDefault(p => p.Name == name);

    private ClassStats? Stats(string phase, string requestClass) => Phase(phase)?.Class(requestClass);

    /// <summary>The HTTP ceiling: the better of its two measurements, before and after everything else.</summary>
    private double? TrivialRate() =>
        new[] { Stats("baseline-http", "trivial"), Stats("baseline-http-end", "trivial") }
            .Where(s => s is { Count: > 0 }).Select(s => (double?)s!.PerSecond).Max();

    private double? MixedExtra(string key, string field) => Number(Phase("mixed")?.Extra[key]?[field]);

    /// <summary>A number of the result tree, whatever CLR type it was stored as.</summary>
    private static double? Number(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<double>(out var d) ? d
        : value.TryGetValue<long>(out var l) ? l
        : value.TryGetValue<int>(out var i) ? i
        : null
        : null;

    /// <summary>The mixed phase's GET prober rate with the watchers over its rate without them.</summary>
    private double? WatchRatio => MixedExtra("watchers", "get_rate_ratio");

    private (ClassStats Small, ClassStats Large)? ProbeEnds()
    {
        var small = Stats("probe", BenchRun.ProbeClass(_options.ProbeSizes[0]));
        var large = Stats("probe", BenchRun.ProbeClass(_options.ProbeSizes[^1]));
        return small is { Count: > 0 } && large is { Count: > 0 } ? (small, large) : null;
    }

    private static double? Ratio(double? numerator, double? denominator) =>
        numerator is { } n && denominator is { } d && d > 0 ? n / d : null;

    private List<Target> ComputeTargets()
    {
        var trivial = TrivialRate();
        var insert = Stats("baseline-postgres", PostgresCeiling.RequestClass)?.PerSecond;
        var submit = Stats("isolated-submit", "submit-a");
        var get = Stats("isolated-get-taskforce", "get-taskforce");
        var starter = Stats("isolated-pending-starter", "pending-starter");
        var starterV1 = Stats(BenchRun.IsolatedStarterV1, Generation.V1.Class("pending-starter"));
        var statuses = Stats("isolated-statuses", "statuses");
        var e2e = Stats("isolated-e2e", BenchRun.PostToPendingStarter);
        var probe = ProbeEnds();
        var peakActive = Number(Phase("mixed")?.Extra["peak_active_taskforces"]);

        static bool? AtLeast(double? value, double goal) => value is { } v ? v >= goal : null;
        static bool? AtMost(double? value, double goal) => value is { } v ? v <= goal : null;

        return
        [
            new("submission rate (shape A)", "≥ 400 /s", submit?.PerSecond, "/s", AtLeast(submit?.PerSecond, 400)),
            new("submission p99", "≤ 100 ms", submit?.P99, "ms", AtMost(submit?.P99, 100)),
            new("submission rate / DB single-row insert rate", "≥ 1/40 (0.025)", Ratio(submit?.PerSecond, insert), "×",
                AtLeast(Ratio(submit?.PerSecond, insert), 1.0 / 40)),
            new("GET taskforce rate / trivial endpoint rate", "≥ 0.40", Ratio(get?.PerSecond, trivial), "×",
                AtLeast(Ratio(get?.PerSecond, trivial), 0.40)),
            new("GET taskforce p99", "≤ 10 ms", get?.P99, "ms", AtMost(get?.P99, 10)),
            new("pending-starter rate / trivial endpoint rate", "≥ 0.40", Ratio(starter?.PerSecond, trivial), "×",
                AtLeast(Ratio(starter?.PerSecond, trivial), 0.40)),
            new("pending-starter p99", "≤ 10 ms", starter?.P99, "ms", AtMost(starter?.P99, 10)),
            new("pending-starter /v1 rate / /v0 rate (same run)", "≥ 0.90", Ratio(starterV1?.PerSecond, starter?.PerSecond), "×",
                AtLeast(Ratio(starterV1?.PerSecond, starter?.PerSecond), 0.90),
                "isolated, the same schedd; /v1 answers the taskforce with its task directive and queue profiles"),
            new($"pending-starter p50 at {_options.ProbeSizes[^1]} / at {_options.ProbeSizes[0]} stored", "≤ 1.5",
                Ratio(probe?.Large.P50, probe?.Small.P50), "×", AtMost(Ratio(probe?.Large.P50, probe?.Small.P50), 1.5),
                "the issue's sizes are 1,000 and 100,000"),
            new("status ingestion (bulk, 100 a request)", "≥ 5000 /s", statuses?.ItemsPerSecond, "updates/s",
                AtLeast(statuses?.ItemsPerSecond, 5000),
                $"over a running set of {_options.ActiveTaskforces} taskforces; isolated-statuses-spread has the same " +
                "reports over every stored taskforce, most of them idle"),
            new("POST to pending-starter p50 (one at a time, delays 0)", "≤ 50 ms", e2e?.P50, "ms", AtMost(e2e?.P50, 50)),
            new("POST to pending-starter p50 (under the mixed load)", "≤ 50 ms", MixedExtra("e2e_post_to_pending_starter", "p50_ms"),
                "ms", AtMost(MixedExtra("e2e_post_to_pending_starter", "p50_ms"), 50),
                "a backlog shows here when the mixed phase creates taskforces faster than MQ activation and launch control move them"),
            new($"GET rate with {_options.Watchers} watchers / without (mixed phase, same run)", "≥ 0.90",
                WatchRatio, "×", _options.Watchers > 0 ? AtLeast(WatchRatio, 0.90) : null,
                _options.Watchers > 0
                    ? "the issue's condition is 1,000 watchers on one silo during the mixed load"
                    : "not measured: run with --watchers 1000"),
            new("host peak memory (VmHWM)", "≤ 1024 MiB", _peakRssMib, "MiB", AtMost(_peakRssMib, MiB),
                $"with {_createdTaskforces} taskforces stored and at most {peakActive?.ToString(CultureInfo.InvariantCulture) ?? "?"} " +
                "running; the issue's condition is 100,000 stored and 10,000 active"),
        ];
    }

    private IEnumerable<string> Sanity()
    {
        foreach (var phase in _phases)
        {
            foreach (var stats in phase.Classes.Where(c => c.Errors > 0))
            {
                yield return $"{phase.Name}/{stats.Name}: {stats.Errors} errors, e.g. {stats.ErrorSamples.FirstOrDefault()}";
            }
            foreach (var stats in phase.Classes.Where(c => c.Count > 0 && (c.PerSecond <= 0 || c.P50 <= 0)))
            {
                yield return $"{phase.Name}/{stats.Name}: a zero figure (rate {stats.PerSecond}, p50 {stats.P50} ms)";
            }
        }

        var expected = new List<(string Phase, string Class)>
        {
            ("baseline-http", "trivial"),
            ("baseline-http-end", "trivial"),
            ("probe", "seed-workflow"),
            ("isolated-root", "root"),
            ("isolated-get-taskforce", "get-taskforce"),
            ("isolated-pending-starter", "pending-starter"),
            (BenchRun.IsolatedStarterV1, Generation.V1.Class("pending-starter")),
            ("isolated-statuses", "statuses"),
            ("isolated-statuses-spread", "statuses"),
            ("isolated-submit", "submit-a"),
            ("isolated-e2e", BenchRun.PostToPendingStarter),
        };
        if (_context["service"]?["insert_ceiling"]?.GetValue<bool>() is true)
        {
            expected.Add(("baseline-postgres", PostgresCeiling.RequestClass));
        }
        expected.AddRange(_options.ProbeSizes.Select(size => ("probe", BenchRun.ProbeClass(size))));
        // Each generation's classes where some user or TMS speaks it.
        var users = Enum.GetValues<Generation>().Where(_options.UsersSpeak).ToList();
        var fleet = Enum.GetValues<Generation>().Where(_options.FleetSpeaks).ToList();
        void Mixed(IEnumerable<Generation> generations, params string[] classes) =>
            expected.AddRange(generations.SelectMany(g => classes.Select(c => ("mixed", g.Class(c)))));
        Mixed(users, "submit-a", "get-workflow", "get-taskforce", "query-by-workflow");
        Mixed(fleet, "pending-starter", "condor-submit", "statuses");
        Mixed(fleet.Where(g => g == Generation.V1), "phase-check", "watcher-find");
        if (_options.WorkflowSeconds + (2 * _options.TmsPollInterval) < _options.Duration)
        {
            Mixed(users, "finish-workflow");
            Mixed(fleet, "pending-stopper", "condor-rm");
        }
        if (_options.Smoke || _options.RunSeconds + (2 * _options.TmsPollInterval) < _options.Duration)
        {
            Mixed(fleet, "condor-complete");
        }
        if (_options.Queriers > 0)
        {
            expected.Add(("mixed", "query-by-phase"));
        }
        foreach (var (phase, requestClass) in expected)
        {
            if (Phase(phase) is null)
            {
                yield return $"phase {phase} did not run";
            }
            else if (Stats(phase, requestClass) is not { Count: > 0 })
            {
                yield return $"{phase}/{requestClass}: no successful request";
            }
        }
        // Which user draws a shape B is a matter of timing: one of shape B in either generation will do.
        if (_options.ShapeBEvery <= 2 * _options.Users && Phase("mixed") is { } mixedPhase &&
            !users.Any(g => mixedPhase.Class(g.Class("submit-b")) is { Count: > 0 }))
        {
            yield return "mixed/submit-b: no successful request";
        }
        if (Stats("isolated-statuses", "statuses") is { Count: > 0, Items: <= 0 })
        {
            yield return "isolated-statuses: no taskforce updates counted";
        }
        if (Phase("mixed") is not null && MixedExtra("e2e_post_to_pending_starter", "count") is not > 0)
        {
            yield return "mixed: no taskforce of the mixed phase reached pending-starter with a log entry to time it by";
        }
        if (_options.Watchers > 0 && Phase("mixed") is not null)
        {
            foreach (var problem in WatchProblems())
            {
                yield return problem;
            }
        }
        if (_context["service"]?["pid"] is not null && _peakRssMib is not > 0)
        {
            yield return "the host's memory could not be read";
        }
    }

    /// <summary>What makes the watchers' figures untrustworthy: a watcher that never connected or failed, no events, no GET.</summary>
    private IEnumerable<string> WatchProblems()
    {
        if (Phase("mixed")?.Extra["watchers"] is not JsonObject watch)
        {
            yield return "mixed: the watchers did not report";
            yield break;
        }
        var samples = string.Join("; ", watch["error_samples"]!.AsArray().Select(e => e!.ToString()));
        if (Number(watch["connected"]) != _options.Watchers)
        {
            yield return $"mixed: {watch["connected"]} of {_options.Watchers} watchers connected ({samples})";
        }
        if (Number(watch["failures"]) is > 0 || Number(watch["get_errors"]) is > 0)
        {
            yield return $"mixed: {watch["failures"]} watcher failures, {watch["get_errors"]} GET errors ({samples})";
        }
        if (Number(watch["events_by_name"]?["taskforce"]) is not > 0)
        {
            yield return "mixed: the watchers received no taskforce event";
        }
        if (Number(watch["get_with_watchers"]?["count"]) is not > 0 || Number(watch["get_without_watchers"]?["count"]) is not > 0)
        {
            yield return "mixed: the GET prober has no request with or without the watchers";
        }
    }

    public JsonObject ToJson()
    {
        var json = _context.DeepClone().AsObject();
        var phases = new JsonObject();
        foreach (var phase in _phases)
        {
            phases[phase.Name] = phase.ToJson();
        }
        json["phases"] = phases;

        var trivial = TrivialRate();
        var insert = Stats("baseline-postgres", PostgresCeiling.RequestClass)?.PerSecond;
        var ratios = new JsonObject();
        foreach (var phase in _phases.Where(p => p.Name.StartsWith("isolated-", StringComparison.Ordinal) && p.Name != "isolated-e2e"))
        {
            foreach (var stats in phase.Classes)
            {
                ratios[$"{stats.Name}_rate_per_trivial_rate"] = Ratio(stats.PerSecond, trivial) is { } r ? Round(r, 4) : null;
                ratios[$"{stats.Name}_rate_per_insert_rate"] = Ratio(stats.PerSecond, insert) is { } i ? Round(i, 4) : null;
                if (stats.Items != stats.Count)
                {
                    ratios[$"{stats.Name}_items_per_insert_rate"] = Ratio(stats.ItemsPerSecond, insert) is { } t ? Round(t, 4) : null;
                }
            }
        }
        json["ratios"] = ratios;
        json["ceilings"] = new JsonObject
        {
            ["http_requests_per_second"] = trivial is { } h ? Round(h, 1) : null,
            ["postgres_inserts_per_second"] = insert is { } p ? Round(p, 1) : null,
        };

        if (ProbeEnds() is var (small, large))
        {
            json["probe"] = new JsonObject
            {
                ["smallest_size"] = _options.ProbeSizes[0],
                ["largest_size"] = _options.ProbeSizes[^1],
                ["p50_ratio"] = Round(large.P50 / small.P50, 3),
                ["p99_ratio"] = Round(large.P99 / small.P99, 3),
            };
        }
        json["generations"] = GenerationsJson();
        json["host"] = new JsonObject
        {
            ["peak_rss_mib"] = _peakRssMib is { } m ? Round(m, 1) : null,
            ["taskforces_created"] = _createdTaskforces,
        };
        json["targets"] = new JsonArray(Targets.Select(t => (JsonNode)new JsonObject
        {
            ["name"] = t.Name,
            ["goal"] = t.Goal,
            ["measured"] = t.Measured is { } v ? Round(v, 4) : null,
            ["unit"] = t.Unit,
            ["met"] = t.Met,
            ["note"] = t.Note,
        }).ToArray());
        json["errors_total"] = TotalErrors;
        json["problems"] = new JsonArray(Problems.Select(p => (JsonNode)p).ToArray());
        json["sane"] = Problems.Count == 0;
        return json;
    }

    public string Table()
    {
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine(Row("phase", "class", "count", "/s", "items/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors"));
        text.AppendLine(new string('-', 120));
        foreach (var phase in _phases)
        {
            foreach (var s in phase.Classes)
            {
                text.AppendLine(Row(phase.Name, s.Name, N(s.Count), F(s.PerSecond, 1), s.Items != s.Count ? F(s.ItemsPerSecond, 0) : "",
                    F(s.P50, 2), F(s.P95, 2), F(s.P99, 2), F(s.Max, 1), N(s.Errors)));
            }
        }
        text.AppendLine();
        foreach (var phase in _phases.Where(p => p.ServerCpuSeconds is not null || p.ServerPeakRssMib is not null))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{phase.Name,-28} {phase.Seconds,6:F1} s  server CPU {F(phase.ServerCpuSeconds ?? 0, 1)} s" +
                $"  bench CPU {F(phase.BenchCpuSeconds, 1)} s  server peak RSS {F(phase.ServerPeakRssMib ?? 0, 0)} MiB");
        }
        if (Phase("mixed") is { } mixedPhase)
        {
            text.AppendLine();
            foreach (var key in new[] { "e2e_post_to_pending_starter", "e2e_post_to_tms_offer" })
            {
                var e = mixedPhase.Extra[key]!;
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"{key}: n={e["count"]} p50={e["p50_ms"]} ms p95={e["p95_ms"]} ms p99={e["p99_ms"]} ms");
            }
            text.AppendLine(CultureInfo.InvariantCulture,
                $"mixed: {mixedPhase.Extra["workflows_per_second"]} workflows/s, {mixedPhase.Extra["taskforces_created"]} taskforces, " +
                $"peak {mixedPhase.Extra["peak_active_taskforces"]} running, {mixedPhase.Extra["condor_submit_races"]} submit races");
            if (mixedPhase.Extra["watchers"] is JsonObject watch)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"watchers: {watch["connected"]} of {watch["watchers"]} connected in {watch["connect_seconds"]} s over " +
                    $"{watch["workflows_watched"]} workflows, held {watch["held_seconds"]} s, {watch["events_received"]} events " +
                    $"({watch["events_per_second"]} /s), {watch["ended_early"]} ended early; GET {watch["get_with_watchers"]!["per_second"]} /s " +
                    $"with them, {watch["get_without_watchers"]!["per_second"]} /s without: {watch["get_rate_ratio"]}");
            }
        }
        GenerationsText(text);
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"target",-56} {"goal",-16} {"measured",12}  met");
        text.AppendLine(new string('-', 94));
        foreach (var t in Targets)
        {
            var measured = t.Measured is { } v ? $"{F(v, v < 10 ? 3 : 1)} {t.Unit}" : "n/a";
            var met = t.Met switch { true => "yes", false => "NO", null => "n/a" };
            text.AppendLine(CultureInfo.InvariantCulture, $"{t.Name,-56} {t.Goal,-16} {measured,12}  {met}");
        }
        if (_options.Smoke)
        {
            text.AppendLine("(smoke mode: tiny sizes and seconds-long phases; the targets are not judged by it)");
        }
        text.AppendLine();
        text.AppendLine(Problems.Count == 0
            ? $"sane: no errors, every request class measured"
            : $"NOT SANE ({Problems.Count}):\n  " + string.Join("\n  ", Problems));
        return text.ToString();
    }

    /// <summary>The isolated pending-starter class of each generation, and its phase.</summary>
    private (PhaseResult Phase, ClassStats Stats)? IsolatedStarter(Generation generation)
    {
        var phase = Phase(generation == Generation.V0 ? "isolated-pending-starter" : BenchRun.IsolatedStarterV1);
        return phase?.Class(generation.Class("pending-starter")) is { Count: > 0 } stats ? (phase, stats) : null;
    }

    /// <summary>Microseconds of the service's CPU per request of a phase of one class, when it was read.</summary>
    private static double? CpuMicros(PhaseResult phase, ClassStats stats) =>
        phase.ServerCpuSeconds is { } cpu && stats.Count > 0 ? cpu * 1e6 / stats.Count : null;

    /// <summary>The mixed phase's classes sent in both generations, by their /v0 name.</summary>
    private IEnumerable<(string Name, ClassStats V0, ClassStats V1)> MixedPairs() =>
        Phase("mixed") is not { } mixed
            ? []
            : mixed.Classes.Where(c => c.Generation == Generation.V0 && c.Count > 0)
                .Select(v0 => (v0.Name, V0: v0, V1: mixed.Class(Generation.V1.Class(v0.Name))))
                .Where(p => p.V1 is { Count: > 0 })
                .Select(p => (p.Name, p.V0, p.V1!));

    private static JsonObject Figures(ClassStats stats, double? cpuMicros) => new()
    {
        ["class"] = stats.Name,
        ["per_second"] = Round(stats.PerSecond, 1),
        ["p50_ms"] = Round(stats.P50, 3),
        ["p99_ms"] = Round(stats.P99, 3),
        ["server_cpu_us_per_request"] = cpuMicros is { } c ? Round(c, 1) : null,
        ["response_bytes_mean"] = Round(stats.MeanResponseBytes, 1),
    };

    private static JsonNode? RoundRatio(double? ratio) => ratio is { } r ? Round(r, 4) : null;

    /// <summary>/v1 against /v0 in this run: the isolated pending-starter phases, and the mixed classes sent in both.</summary>
    private JsonObject GenerationsJson()
    {
        var json = new JsonObject
        {
            ["description"] = "each figure's API generation, and /v1 divided by /v0; the isolated phases run one after " +
                "the other on the same schedd, the mixed classes at once",
        };
        if (IsolatedStarter(Generation.V0) is var (p0, s0) && IsolatedStarter(Generation.V1) is var (p1, s1))
        {
            var rate = Ratio(s1.PerSecond, s0.PerSecond);
            json["isolated_pending_starter"] = new JsonObject
            {
                ["v0"] = Figures(s0, CpuMicros(p0, s0)),
                ["v1"] = Figures(s1, CpuMicros(p1, s1)),
                ["v1_per_v0"] = new JsonObject
                {
                    ["rate"] = RoundRatio(rate),
                    ["p50"] = RoundRatio(Ratio(s1.P50, s0.P50)),
                    ["p99"] = RoundRatio(Ratio(s1.P99, s0.P99)),
                    ["server_cpu_per_request"] = RoundRatio(Ratio(CpuMicros(p1, s1), CpuMicros(p0, s0))),
                    ["response_bytes"] = RoundRatio(Ratio(s1.MeanResponseBytes, s0.MeanResponseBytes)),
                },
                ["goal"] = "rate ≥ 0.90",
                ["met"] = rate is { } r ? r >= 0.90 : null,
            };
        }
        var mixed = new JsonObject();
        foreach (var (name, v0, v1) in MixedPairs())
        {
            mixed[name] = new JsonObject
            {
                ["v0"] = Figures(v0, null),
                ["v1"] = Figures(v1, null),
                ["v1_per_v0_p50"] = RoundRatio(Ratio(v1.P50, v0.P50)),
                ["v1_per_v0_p99"] = RoundRatio(Ratio(v1.P99, v0.P99)),
            };
        }
        json["mixed"] = mixed;
        return json;
    }

    private void GenerationsText(StringBuilder text)
    {
        var v0 = IsolatedStarter(Generation.V0);
        var v1 = IsolatedStarter(Generation.V1);
        var pairs = MixedPairs().ToList();
        if (v0 is null && v1 is null && pairs.Count == 0)
        {
            return;
        }
        text.AppendLine();
        text.AppendLine("/v1 against /v0, this run");
        foreach (var (generation, figures) in new[] { (Generation.V0, v0), (Generation.V1, v1) })
        {
            if (figures is var (phase, stats))
            {
                var cpu = CpuMicros(phase, stats);
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"  isolated pending-starter /{generation.Prefix()}: {F(stats.PerSecond, 1)} /s, p50 {F(stats.P50, 2)} ms, " +
                    $"p99 {F(stats.P99, 2)} ms, service CPU {(cpu is { } c ? F(c, 1) : "?")} µs a request, " +
                    $"{F(stats.MeanResponseBytes, 0)} B an answer");
            }
        }
        if (v0 is var (p0, s0) && v1 is var (p1, s1))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  /v1 ÷ /v0: rate {F(s1.PerSecond / s0.PerSecond, 3)}× (goal ≥ 0.90), p50 {F(s1.P50 / s0.P50, 2)}×, " +
                $"service CPU a request {(Ratio(CpuMicros(p1, s1), CpuMicros(p0, s0)) is { } c ? F(c, 2) + "×" : "?")}, " +
                $"answer size {F(s1.MeanResponseBytes / s0.MeanResponseBytes, 2)}×");
        }
        foreach (var (name, c0, c1) in pairs)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  mixed {name,-20} p50 /v0 {F(c0.P50, 2),7} ms  /v1 {F(c1.P50, 2),7} ms   " +
                $"p99 /v0 {F(c0.P99, 2),7} ms  /v1 {F(c1.P99, 2),7} ms   {N(c0.Count)} and {N(c1.Count)} requests");
        }
    }

    /// <summary>
    /// The head of a result file: which benchmark, its format when it has one, smoke or not, when, on what machine,
    /// and the settings that shaped it. Every mode's result begins so, so that files compare side by side.
    /// </summary>
    public static JsonObject Header(string benchmark, int? format, bool smoke, JsonObject settings)
    {
        var header = new JsonObject { ["benchmark"] = benchmark };
        if (format is { } f)
        {
            header["format"] = f;
        }
        header["smoke"] = smoke;
        header["started_utc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        header["machine"] = Machine();
        header["settings"] = settings;
        return header;
    }

    /// <summary>The machine, for the record: on a busy machine the load average says so.</summary>
    public static JsonObject Machine() => new()
    {
        ["processors"] = Environment.ProcessorCount,
        ["cpu_model"] = CpuModel(),
        ["memory_mib"] = Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024.0, 0),
        ["os"] = RuntimeInformation.OSDescription,
        ["runtime"] = RuntimeInformation.FrameworkDescription,
        ["load_average"] = LoadAverage(),
    };

    public static string? LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string? CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
                ?.Split(':', 2)[1].Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string Row(params string[] cells) => string.Create(CultureInfo.InvariantCulture,
        $"{cells[0],-28} {cells[1],-28} {cells[2],8} {cells[3],9} {cells[4],9} {cells[5],8} {cells[6],8} {cells[7],8} {cells[8],8} {cells[9],6}");

    private static string F(double value, int digits) => value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
