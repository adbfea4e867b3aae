using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;

namespace Wms.Bench;

/// <summary>
/// Status ingestion with the status history on against off, in one run (<c>--history-compare</c>). Two services run
/// side by side on one PostgreSQL, each on a database of its own and seeded with its own running set of
/// <see cref="BenchOptions.ActiveTaskforces"/> taskforces; then the status load goes to one service at a time, in
/// slices of a few seconds that alternate (ABBA), for <see cref="BenchOptions.PhaseSeconds"/> per service in all.
/// </summary>
/// <remarks>
/// Measuring one service after the other let whatever happened during one service's turn (a load from outside, a
/// stall of several seconds that either setting shows now and then) fall on that setting alone: the same setting
/// moved by up to 2.3× between two services of one run. In slices of a few seconds, both settings meet the same
/// conditions, and a stall costs a slice, not a setting.
/// </remarks>
public static class HistoryComparison
{
    /// <summary>The ratio of the rate with history to the rate without that the issue asks for.</summary>
    public const double Target = 0.8;

    /// <summary>
    /// Long enough that the history rows a slice leaves to be written after it ends (a group or two, a tenth of a
    /// second of updates) weigh little on the next slice, which is the other service's.
    /// </summary>
    private const double SliceSeconds = 5;

    private const string StatusClass = "statuses";

    public static async Task<JsonObject> RunAsync(
        BenchOptions options, Pools pools, List<PhaseResult> phases, Action<string> log)
    {
        string? directory = null;
        var database = options.Postgres;
        if (database is null)
        {
            directory = Path.Combine(Path.GetTempPath(), $"wms-bench-pg-{Guid.NewGuid():N}");
            log($"starting a throwaway PostgreSQL in {directory}");
            var output = await Scripts.RunAsync("postgres.sh", "start", directory);
            database = output.Trim().Split('\n')[^1].Trim();
        }
        var sides = new List<Side>();
        try
        {
            foreach (var on in new[] { true, false })
            {
                sides.Add(await Side.StartAsync(on, options, pools, log, database));
            }
            // Unrecorded: each service's first requests after seeding pay for what the slices should not.
            foreach (var side in sides)
            {
                await ClosedLoop.RunAsync(options.Clients, 0, SliceSeconds, Recorder.Discard(), side.Reports);
            }
            var slices = Math.Max(1, (int)Math.Round(options.PhaseSeconds / SliceSeconds));
            var sliceSeconds = options.PhaseSeconds / slices;
            log($"statuses in {slices} slices of {sliceSeconds:F1} s per service, alternating");
            for (var slice = 0; slice < slices && !Deadline.Aborted; slice++)
            {
                foreach (var side in slice % 2 == 0 ? sides : Enumerable.Reverse(sides))
                {
                    await side.MeasureSliceAsync(options.Clients, sliceSeconds);
                }
            }
            var measured = sides.Select(side => side.Result(options.Clients, slices, sliceSeconds)).ToList();
            phases.AddRange(measured);
            var (withHistory, without) = (sides[0], sides[1]);
            var rateOn = withHistory.Rate;
            var rateOff = without.Rate;
            var ratio = rateOff > 0 ? rateOn / rateOff : (double?)null;
            var pairRatios = withHistory.SliceRates.Zip(without.SliceRates, (a, b) => b > 0 ? a / b : double.NaN)
                .Where(double.IsFinite).Order().ToArray();
            log($"  on {rateOn:F0}, off {rateOff:F0} updates/s");
            return new JsonObject
            {
                ["slices"] = slices,
                ["slice_seconds"] = Report.Round(sliceSeconds, 3),
                ["updates_per_second_on"] = Report.Round(rateOn, 1),
                ["updates_per_second_off"] = Report.Round(rateOff, 1),
                ["ratio_on_to_off"] = ratio is { } r ? Report.Round(r, 3) : null,
                ["median_slice_ratio"] = pairRatios.Length > 0
                    ? Report.Round(ClassStats.Percentile(pairRatios, 0.5), 3)
                    : null,
                ["slice_rates_on"] = new JsonArray([.. withHistory.SliceRates.Select(x => Report.Round(x, 0))]),
                ["slice_rates_off"] = new JsonArray([.. without.SliceRates.Select(x => Report.Round(x, 0))]),
                ["target"] = Target,
                ["met"] = ratio >= Target,
            };
        }
        finally
        {
            foreach (var side in sides)
            {
                await side.DisposeAsync();
            }
            if (directory is not null)
            {
                await ServiceUnderTest.StopPostgresAsync(directory);
            }
        }
    }

    /// <summary>One line for the text summary.</summary>
    public static string Line(JsonObject result) => string.Create(CultureInfo.InvariantCulture,
        $"status history on against off: {result["updates_per_second_on"]} against {result["updates_per_second_off"]} " +
        $"updates/s, ratio {result["ratio_on_to_off"]} (median of the slice pairs {result["median_slice_ratio"]}; " +
        $"target ≥ {Target}: {((bool?)result["met"] == true ? "met" : "NOT met")})");

    private static async Task<string> NewDatabaseAsync(string server, string name)
    {
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            // One statement each: neither may run inside the implicit transaction of a multi-statement command.
            foreach (var sql in new[] { $"DROP DATABASE IF EXISTS {name}", $"CREATE DATABASE {name}" })
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    /// <summary>One of the two services, and what its slices measured.</summary>
    private sealed class Side(bool on, ServiceUnderTest service, BenchHttp http, HostMonitor monitor) : IAsyncDisposable
    {
        private double? _serverCpu = 0;

        public string Name { get; } = on ? "on" : "off";

        public Recorder Recorder { get; } = new();

        public List<double> SliceRates { get; } = [];

        public double Seconds { get; private set; }

        public Func<int, long, Recorder, Task> Reports { get; private set; } = (_, _, _) => Task.CompletedTask;

        public double Rate => Seconds > 0 ? Recorder.Of(StatusClass).Items / Seconds : 0;

        public static async Task<Side> StartAsync(
            bool on, BenchOptions options, Pools pools, Action<string> log, string server)
        {
            var setting = on ? "true" : "false";
            log($"status history {(on ? "on" : "off")}: a service with WMS_STATUS_HISTORY={setting}");
            // A database of its own: each service measures on an index of the same size.
            var database = await NewDatabaseAsync(server, $"wms_history_{(on ? "on" : "off")}");
            var service = await ServiceUnderTest.StartAsync(options, pools, log, database,
                new Dictionary<string, string> { ["WMS_STATUS_HISTORY"] = setting });
            var http = new BenchHttp(service.Address);
            var side = new Side(on, service, http, new HostMonitor(service.Pid));
            log($"  seeding {options.ActiveTaskforces} taskforces and reporting on each once");
            side.Reports = await new BenchRun(options, pools, http, side.Monitor, log).SeededStatusReportsAsync();
            return side;
        }

        public HostMonitor Monitor { get; } = monitor;

        public async Task MeasureSliceAsync(int clients, double seconds)
        {
            var before = Recorder.Of(StatusClass).Items;
            var cpu = Monitor.CpuSeconds();
            var took = await ClosedLoop.RunAsync(clients, 0, seconds, Recorder, Reports);
            _serverCpu = cpu is { } a && Monitor.CpuSeconds() is { } b && _serverCpu is { } sum ? sum + (b - a) : null;
            Seconds += took;
            SliceRates.Add((Recorder.Of(StatusClass).Items - before) / took);
            if (service.Failure() is { } reason)
            {
                throw new InvalidOperationException($"the service with history {Name} died: {reason}");
            }
        }

        public PhaseResult Result(int clients, int slices, double sliceSeconds) => new()
        {
            Name = $"history-{Name}-statuses",
            Description = $"POST /v0/tms/statuses/taskforces, 100 taskforces a request, every one changed, over the " +
                $"seeded running set, reported on once before; items are taskforce updates; {clients} clients, " +
                $"closed loop, in {slices} slices alternating with the other service's",
            Seconds = Seconds,
            Classes = [.. Recorder.Classes.Select(c => c.Stats(Seconds))],
            ServerCpuSeconds = _serverCpu,
            ServerPeakRssMib = Monitor.TakePhasePeakRssMib(),
            Extra = new JsonObject { ["slices"] = slices, ["slice_seconds"] = Report.Round(sliceSeconds, 3) },
        };

        public async ValueTask DisposeAsync()
        {
            await Monitor.DisposeAsync();
            http.Dispose();
            await service.DisposeAsync();
        }
    }
}
