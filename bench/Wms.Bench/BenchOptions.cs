using System.Globalization;

namespace Wms.Bench;

/// <summary>
/// The command line. Every knob has a full-run default and a smoke default; a flag given explicitly wins over both.
/// </summary>
public sealed class BenchOptions
{
    public bool Smoke { get; private set; }

    /// <summary>
    /// Measures the service with telemetry on (an OTLP endpoint, /metrics scraped) against off, instead of the
    /// phases of a full run.
    /// </summary>
    public bool Telemetry { get; private set; }

    /// <summary>Base URL of a running service; null: the bench starts one itself.</summary>
    public Uri? Target { get; private set; }

    /// <summary>PostgreSQL for the service (start mode) and for the insert ceiling; null: a throwaway server.</summary>
    public string? Postgres { get; private set; }

    /// <summary>Path of Wms.Silo.dll; default: next to the bench's own assembly.</summary>
    public string? SiloPath { get; private set; }

    /// <summary>pid of the service when it is targeted, so that its memory can be sampled.</summary>
    public int? HostPid { get; private set; }

    public string OutPath { get; private set; } = "bench-result.json";
    public bool PrintEnvironment { get; private set; }

    /// <summary>Measures status ingestion with the status history on against off, and nothing else.</summary>
    public bool HistoryCompare { get; private set; }

    public double Duration { get; private set; }
    public double PhaseSeconds { get; private set; }
    public int Clients { get; private set; }
    public int Schedds { get; private set; }
    public int Users { get; private set; }
    public int Queriers { get; private set; }
    public double Rate { get; private set; }
    public int ShapeBEvery { get; private set; }
    public double StatusInterval { get; private set; }
    public double TmsPollInterval { get; private set; }
    public double QueryInterval { get; private set; }
    public double RunSeconds { get; private set; }
    public double WorkflowSeconds { get; private set; }
    public IReadOnlyList<int> ProbeSizes { get; private set; } = [];
    public int ProbePolls { get; private set; }

    /// <summary>Seconds between the probe's seeding and the isolated phases, for the service to drop what it seeded.</summary>
    public double ProbeSettle { get; private set; }

    /// <summary>
    /// Which API the mixed load's TMS fleet and users speak: <c>v0</c>, <c>v1</c>, or <c>both</c> (every other
    /// schedd's TMS, and every other user, on /v1, starting with the second), so that one mixed phase measures both
    /// generations side by side.
    /// </summary>
    public string TmsApi { get; private set; } = "both";

    /// <summary>
    /// Live watchers held on the service through the middle half of the mixed phase (0: none, the default), with a
    /// GET prober whose rate with and without them the run reports.
    /// </summary>
    public int Watchers { get; private set; }

    /// <summary>How many windows with watchers the mixed phase has, each between two without.</summary>
    public int WatchRounds { get; private set; }

    /// <summary>Closed-loop clients of the GET prober that runs beside the watchers.</summary>
    public int WatchProbers { get; private set; }

    /// <summary>Taskforces a TMS fleet keeps running and reports on, for the isolated status phase.</summary>
    public int ActiveTaskforces { get; private set; }

    /// <summary>Maximum Pool Size put in the started service's connection string; 0 leaves it as given.</summary>
    public int ServicePoolSize { get; private set; }

    /// <summary>
    /// Memory the started service is given, in MiB, as a container's limit would give it; 0 for none. In a container
    /// .NET holds its heap to 75 % of the limit by itself; a started process is told the same.
    /// </summary>
    public int ServiceMemory { get; private set; }

    /// <summary>The GC heap limit that <see cref="ServiceMemory"/> means, in bytes; 0 for none.</summary>
    public long ServiceHeapLimit => ServiceMemory * 1024L * 1024 * 3 / 4;

    /// <summary>
    /// With <see cref="Telemetry"/>: environment of the service with telemetry on only, over its own (an empty value
    /// removes one), from --telemetry-env; to find what part of the telemetry costs what.
    /// </summary>
    public IReadOnlyDictionary<string, string> TelemetryEnvironment { get; private set; } = new Dictionary<string, string>();

    /// <summary>Extra environment of the started service (runtime settings to compare, say), from --service-env.</summary>
    public IReadOnlyDictionary<string, string> ServiceEnvironment { get; private set; } = new Dictionary<string, string>();

    public const string Usage = """
        Wms.Bench: load benchmark of the WMS (issue 5).

          dotnet run -c Release --project bench/Wms.Bench -- [options]

        Mode
          --start                 start PostgreSQL and the service (Wms.Silo.dll) as separate processes (default)
          --target URL            use a running service instead; start it with the environment of --print-env
          --postgres CONNSTR      PostgreSQL to use (service database in start mode; insert ceiling in both modes)
          --silo PATH             Wms.Silo.dll to run (default: next to the bench)
          --service-pool-size N   Maximum Pool Size of each of the started service's two connection pools (50);
                                  0 keeps the connection string as given
          --service-memory MIB    memory the started service is given, as a container limit would (1024, the
                                  issue's host memory): its GC heap is held to 75 % of it, as .NET does by itself
                                  in a container; 0 for no limit
          --service-env K=V[,K=V] extra environment of the started service only (runtime settings to compare,
                                  e.g. DOTNET_gcServer=0); the bench and the trivial server keep theirs
          --host-pid PID          with --target: the service's pid, to sample its memory and CPU
          --print-env             print the environment the service needs for this bench, and exit
          --smoke                 a few seconds, tiny sizes; exits non-zero on any error or insane output
          --telemetry             instead of the phases below: two services side by side, one with telemetry on
                                  (OTLP/HTTP to a sink the bench runs, /metrics scraped every 5 s) and one with it
                                  off (WMS_METRICS=false, no OTLP); GET of a taskforce and submission, each for
                                  --phase-seconds per service in alternating slices; reports both rates and on/off
          --telemetry-env K=V[,K=V]  with --telemetry: environment of the service with telemetry on only; an empty
                                  value removes a setting (OTEL_EXPORTER_OTLP_ENDPOINT= measures metrics alone)
          --history-compare       only status ingestion, with the status history on against off: two services side
                                  by side on one PostgreSQL, each seeded with --active-taskforces taskforces, the
                                  load going to one at a time in 5 s slices (ABBA) for --phase-seconds each; prints
                                  both rates and their ratio (target ≥ 0.8). Start mode only
          --out PATH              JSON result (default bench-result.json)

        Load (full default / smoke default)
          --duration S            seconds of the mixed phase (60 / 6)
          --phase-seconds S       seconds of each baseline and isolated phase (10 / 1)
          --clients N             concurrent clients of the baselines and isolated phases (16 / 8)
          --schedds N             simulated schedds, one TMS each, at least 3 (4 / 3)
          --users N               users submitting and reading back (8 / 4)
          --queriers N            users querying taskforces by phase (2 / 1)
          --rate R                workflow submissions per second in the mixed phase, 0 = unpaced (100 / 10)
          --shape-b-every K       every K-th submission is the 10-task, 30-taskforce shape (10 / 4)
          --status-interval S     seconds between two status rounds of a TMS (5 / 1)
          --tms-poll-interval S   seconds between two starter/stopper rounds of a TMS (1 / 0.2)
          --query-interval S      seconds between two queries of a querier (0.25 / 0.2)
          --run-seconds S         a taskforce runs S to 3S seconds before its cluster completes (duration/3 / 1.5)
          --workflow-seconds S    a user finishes a workflow S seconds after submitting it (2×duration/3 / 2)
          --probe-sizes A,B       stored taskforces for the pending-starter probe (1000,100000 / 60,300)
          --probe-polls N         sequential polls per probe size (1000 / 100)
          --probe-settle S        seconds after the probe before the isolated phases, the database vacuumed in them,
                                  so that no phase pays for the clean-up of the probe's seeding (40 / 0)
          --active-taskforces N   running taskforces the isolated status phase reports on (10000 / 200)
          --watchers N            hold N live watchers (GET /v0/workflows/{id}/events) in windows of the mixed phase,
                                  spread over the newest workflows the users created, and count their events; a GET
                                  prober runs through the whole phase, and its rate in each window with the watchers
                                  against the windows beside it without them is reported (0 / 0: off)
          --watch-rounds K        windows with watchers: the phase is cut into 2K+2 equal slots, the first left to
                                  the load's ramp, then without and with in turn (2 / 1)
          --watch-probers N       closed-loop clients of that GET prober (clients/4, at least 2)
          --tms-api v0|v1|both    the API the mixed load's TMS fleet and users speak; both: every other schedd's
                                  TMS and every other user on /v1 (both / both); the queriers stay on /v0. The
                                  isolated pending-starter phase runs in both generations whatever this says
        """;

    public static BenchOptions Parse(string[] args)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--smoke":
                    options.Smoke = true;
                    continue;
                case "--telemetry":
                    options.Telemetry = true;
                    continue;
                case "--start":
                    given.Remove("--target");
                    continue;
                case "--print-env":
                    options.PrintEnvironment = true;
                    continue;
                case "--history-compare":
                    options.HistoryCompare = true;
                    continue;
                case "-h" or "--help":
                    throw new UsageException(null);
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new UsageException($"unexpected argument '{arg}'");
            }
            given[arg] = args[++i];
        }

        var smoke = options.Smoke;
        options.Target = Text(given, "--target") is { } target ? ParseUri(target) : null;
        options.Postgres = Text(given, "--postgres");
        options.SiloPath = Text(given, "--silo");
        options.HostPid = Text(given, "--host-pid") is { } pid ? Whole(pid, "--host-pid", 1) : null;
        options.OutPath = Text(given, "--out") ?? options.OutPath;
        options.Duration = Number(given, "--duration", smoke ? 6 : 60, 1);
        options.PhaseSeconds = Number(given, "--phase-seconds", smoke ? 1 : 10, 0.5);
        options.Clients = Whole(given, "--clients", smoke ? 8 : 16, 1);
        options.Schedds = Whole(given, "--schedds", smoke ? 3 : 4, 3);
        options.Users = Whole(given, "--users", smoke ? 4 : 8, 1);
        options.Queriers = Whole(given, "--queriers", smoke ? 1 : 2, 0);
        options.Rate = Number(given, "--rate", smoke ? 10 : 100, 0);
        options.ShapeBEvery = Whole(given, "--shape-b-every", smoke ? 4 : 10, 1);
        options.StatusInterval = Number(given, "--status-interval", smoke ? 1 : 5, 0.1);
        options.TmsPollInterval = Number(given, "--tms-poll-interval", smoke ? 0.2 : 1, 0.01);
        options.QueryInterval = Number(given, "--query-interval", smoke ? 0.2 : 0.25, 0);
        // By default taskforces complete, and workflows are finished, within the mixed phase, whatever its length.
        options.RunSeconds = Number(given, "--run-seconds", smoke ? 1.5 : options.Duration / 3, 0.1);
        options.WorkflowSeconds = Number(given, "--workflow-seconds", smoke ? 2 : options.Duration * 2 / 3, 0.1);
        options.ProbePolls = Whole(given, "--probe-polls", smoke ? 100 : 1000, 1);
        options.ProbeSettle = Number(given, "--probe-settle", smoke ? 0 : 40, 0);
        options.ActiveTaskforces = Whole(given, "--active-taskforces", smoke ? 200 : 10000, 100);
        options.TmsApi = Text(given, "--tms-api") is { } api
            ? api is "v0" or "v1" or "both" ? api : throw new UsageException($"--tms-api must be v0, v1 or both, not '{api}'")
            : "both";
        options.Watchers = Whole(given, "--watchers", 0, 0);
        options.WatchRounds = Whole(given, "--watch-rounds", smoke ? 1 : 2, 1);
        options.WatchProbers = Whole(given, "--watch-probers", Math.Max(2, options.Clients / 4), 1);
        options.ServicePoolSize = Whole(given, "--service-pool-size", 50, 0);
        options.ServiceMemory = Whole(given, "--service-memory", 1024, 0);
        options.ServiceEnvironment = Pairs(Text(given, "--service-env"), "--service-env");
        options.TelemetryEnvironment = Pairs(Text(given, "--telemetry-env"), "--telemetry-env");
        var sizes = Text(given, "--probe-sizes") ?? (smoke ? "60,300" : "1000,100000");
        options.ProbeSizes = sizes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(s => Whole(s, "--probe-sizes", 1)).Order().ToList();
        if (options.ProbeSizes.Count == 0)
        {
            throw new UsageException("--probe-sizes needs at least one size");
        }
        if (given.Count > 0)
        {
            throw new UsageException($"unknown option {given.Keys.First()}");
        }
        return options;
    }

    /// <summary>
    /// The generation the TMS of the fleet's <paramref name="index"/>th schedd speaks, and the mixed load's
    /// <paramref name="index"/>th user: the users of a /v1 fleet are today's users.
    /// </summary>
    public Generation GenerationOf(int index) => TmsApi switch
    {
        "v0" => Generation.V0,
        "v1" => Generation.V1,
        _ => index % 2 == 0 ? Generation.V0 : Generation.V1,
    };

    /// <summary>Whether some TMS of a fleet of <see cref="Schedds"/> speaks <paramref name="generation"/>.</summary>
    public bool FleetSpeaks(Generation generation) =>
        Enumerable.Range(0, Schedds).Any(i => GenerationOf(i) == generation);

    /// <summary>Whether some user of the mixed load's <see cref="Users"/> speaks <paramref name="generation"/>.</summary>
    public bool UsersSpeak(Generation generation) =>
        Enumerable.Range(0, Users).Any(i => GenerationOf(i) == generation);

    private static Dictionary<string, string> Pairs(string? text, string name) => (text ?? "")
        .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Select(pair => pair.Split('=', 2))
        .ToDictionary(
            kv => kv.Length == 2 && kv[0].Length > 0 ? kv[0] : throw new UsageException($"{name} wants K=V, not '{kv[0]}'"),
            kv => kv[1]);

    private static string? Text(Dictionary<string, string> given, string name) =>
        given.Remove(name, out var value) ? value : null;

    private static double Number(Dictionary<string, string> given, string name, double fallback, double minimum)
    {
        if (Text(given, name) is not { } text)
        {
            return fallback;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) &&
               value >= minimum && double.IsFinite(value)
            ? value
            : throw new UsageException($"{name} must be a number ≥ {minimum.ToString(CultureInfo.InvariantCulture)}, not '{text}'");
    }

    private static int Whole(Dictionary<string, string> given, string name, int fallback, int minimum) =>
        Text(given, name) is { } text ? Whole(text, name, minimum) : fallback;

    private static int Whole(string text, string name, int minimum) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : throw new UsageException($"{name} must be a whole number ≥ {minimum}, not '{text}'");

    private static Uri ParseUri(string text)
    {
        var withSlash = text.EndsWith('/') ? text : text + "/";
        return Uri.TryCreate(withSlash, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new UsageException($"--target must be an http(s) URL, not '{text}'");
    }
}

/// <summary>A bad command line; a null message asks for the usage text alone.</summary>
public sealed class UsageException(string? message) : Exception(message ?? "");
