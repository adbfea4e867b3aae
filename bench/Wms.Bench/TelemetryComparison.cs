using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace Wms.Bench;

/// <summary>
/// <c>--telemetry</c>: what telemetry costs. Two services run side by side on the same PostgreSQL server, each on a
/// database of its own: one with telemetry on as an operator would run it (an OTLP endpoint configured, so metrics,
/// traces and logs go out by OTLP/HTTP to <see cref="OtlpSink"/>, and <c>/metrics</c> scraped every
/// <see cref="ScrapeSeconds"/> s as Prometheus would), one with it off (<c>WMS_METRICS=false</c>, no OTLP). Each
/// request class runs for <see cref="BenchOptions.PhaseSeconds"/> per service, in short slices that alternate
/// (ABBA), so that a load from outside that comes and goes weighs on both alike. The target is an on/off rate of
/// at least <see cref="Goal"/> for GET and for submission.
/// </summary>
public sealed class TelemetryComparison(BenchOptions options, Pools pools, Action<string> log)
{
    public const double Goal = 0.95;
    public const double ScrapeSeconds = 5;
    private const double SliceSeconds = 2;
    private const string GetClass = "get-taskforce";
    private const string SubmitClass = "submit-a";

    /// <summary>One of the two services, and what its slices measured.</summary>
    private sealed class Side(string name, ChildProcess silo, Uri address, IReadOnlyDictionary<string, string> environment)
        : IAsyncDisposable
    {
        public string Name { get; } = name;
        public ChildProcess Silo { get; } = silo;
        public IReadOnlyDictionary<string, string> Environment { get; } = environment;
        public BenchHttp Http { get; } = new(address);
        public HostMonitor Monitor { get; } = new(silo.Pid);
        public List<string> Stored { get; } = [];
        public Dictionary<string, Measure> Measures { get; } = [];

        public Measure Of(string requestClass) =>
            Measures.TryGetValue(requestClass, out var measure) ? measure : Measures[requestClass] = new Measure();

        public async ValueTask DisposeAsync()
        {
            await Monitor.DisposeAsync();
            Http.Dispose();
            Silo.Dispose();
        }
    }

    private sealed class Measure
    {
        public Recorder Recorder { get; } = new();
        public double Seconds { get; set; }
        public double? ServerCpu { get; set; } = 0;
    }

    public async Task<int> RunAsync()
    {
        var total = Stopwatch.StartNew();
        var problems = new List<string>();
        var slices = Math.Max(1, (int)Math.Round(options.PhaseSeconds / SliceSeconds));
        var result = Report.Header("wms-bench-telemetry", 1, options.Smoke, new JsonObject
        {
            ["phase_seconds"] = options.PhaseSeconds,
            ["clients"] = options.Clients,
            ["slices"] = slices,
            ["scrape_interval_s"] = ScrapeSeconds,
        });
        string? postgresDirectory = null;
        string? connectionString = null;
        ChildProcess? sink = null;
        Side? off = null;
        Side? on = null;
        var settles = new JsonArray();
        try
        {
            connectionString = options.Postgres;
            if (connectionString is null)
            {
                (postgresDirectory, connectionString) = await ServiceUnderTest.StartPostgresAsync(log);
            }
            var (sinkProcess, sinkAddress) = await OtlpSink.StartAsync();
            sink = sinkProcess;
            // One after the other: two starting at once would measure nothing but make each start slower.
            off = await StartSideAsync("off", connectionString, new Dictionary<string, string> { ["WMS_METRICS"] = "false" });
            var onEnvironment = new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = sinkAddress.ToString().TrimEnd('/'),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                // Metrics go out every 10 s rather than the default minute, so that a short run pays for them too.
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "10000",
            };
            foreach (var (key, value) in options.TelemetryEnvironment)
            {
                if (value.Length == 0)
                {
                    onEnvironment.Remove(key);
                }
                else
                {
                    onEnvironment[key] = value;
                }
            }
            on = await StartSideAsync("on", connectionString, onEnvironment);
            Side[] sides = [off, on];

            using var scrapeStop = new CancellationTokenSource();
            var scrapes = new Recorder();
            var lastScrape = new StrongBox<byte[]>([]);
            var scraper = ScrapeAsync(on, scrapes.Of("scrape"), lastScrape, scrapeStop.Token);

            log("warming up both services and storing taskforces to read");
            var seeds = new Recorder();
            foreach (var side in sides)
            {
                await WarmUpAsync(side, seeds);
                settles.Add(await SettleAsync(side, "warm-up"));
            }

            log($"GET /v0/taskforces/{{uuid}}, {options.PhaseSeconds} s per service in {slices} alternating slices");
            await AlternateAsync(GetClass, sides, slices, settles, side =>
            {
                var random = new Random(side.Name.Length);
                return (_, _, into) =>
                {
                    string uuid;
                    lock (random)
                    {
                        uuid = side.Stored[random.Next(side.Stored.Count)];
                    }
                    return side.Http.GetAsync(into.Of(GetClass), $"v0/taskforces/{uuid}");
                };
            });
            log($"POST /v0/workflows, {options.PhaseSeconds} s per service in {slices} alternating slices, each settled after");
            await AlternateAsync(SubmitClass, sides, slices, settles, side =>
            {
                var run = RunOf(side);
                return (_, _, into) => run.CreateAsync(into.Of(SubmitClass), Shapes.ShapeA(pools.SoloA, pools.SoloB, run.NextSerial()));
            });

            await scrapeStop.CancelAsync();
            await scraper;
            var offScrape = await off.Http.SendAsync(Recorder.Discard().Of("metrics"), HttpMethod.Get, "metrics", tolerated: 404);
            var sinkStats = await OtlpSink.StatsAsync(sinkAddress);

            result["services"] = new JsonObject
            {
                ["off"] = Describe(off),
                ["on"] = Describe(on),
            };
            result["classes"] = Compare(sides, problems);
            result["settles"] = settles;
            var scrapeStats = scrapes.Of("scrape").Stats(1);
            result["scrapes"] = new JsonObject
            {
                ["count"] = scrapeStats.Count,
                ["errors"] = scrapeStats.Errors,
                ["p50_ms"] = Report.Round(scrapeStats.P50, 2),
                ["max_ms"] = Report.Round(scrapeStats.Max, 2),
                ["bytes_mean"] = Report.Round(scrapeStats.MeanResponseBytes, 0),
                ["error_samples"] = new JsonArray([.. scrapeStats.ErrorSamples.Select(e => (JsonNode)e)]),
            };
            result["otlp_sink"] = sinkStats;

            // Telemetry really on in one and off in the other, or the comparison says nothing.
            if (scrapeStats.Count == 0 || scrapeStats.Errors > 0)
            {
                problems.Add($"scrapes of /metrics: {scrapeStats.Count} answered, {scrapeStats.Errors} failed");
            }
            if (!Encoding.UTF8.GetString(lastScrape.Value ?? []).Contains("wms_workflows_created_total", StringComparison.Ordinal))
            {
                problems.Add("the service with telemetry on serves no wms_workflows_created_total at /metrics");
            }
            if (offScrape.Status != 404)
            {
                problems.Add($"the service with telemetry off answers {offScrape.Status} at /metrics, not 404");
            }
            // (Unless the on side was told otherwise, to measure a part of it alone.)
            if (options.TelemetryEnvironment.Count == 0 && Number(sinkStats["traces"]?["requests"]) is not > 0)
            {
                problems.Add($"the OTLP sink received no traces: {sinkStats.ToJsonString()}");
            }
            if (seeds.TotalErrors > 0)
            {
                problems.Add($"{seeds.TotalErrors} requests of the warm-up failed");
            }
        }
        catch (Exception e)
        {
            Console.Error.WriteLine(e);
            problems.Add($"the run stopped: {e.Message}");
            foreach (var side in new[] { off, on }.OfType<Side>())
            {
                Console.Error.WriteLine($"last output of the service with telemetry {side.Name}:\n{side.Silo.Tail()}");
            }
        }
        finally
        {
            foreach (var side in new[] { off, on }.OfType<Side>())
            {
                await side.DisposeAsync();
            }
            sink?.Dispose();
            if (postgresDirectory is not null)
            {
                await ServiceUnderTest.StopPostgresAsync(postgresDirectory);
            }
            else if (connectionString is not null)
            {
                await DropDatabasesAsync(connectionString);
            }
        }

        if (Deadline.Aborted)
        {
            problems.Add("interrupted: the run was stopped before its end");
        }
        result["machine"]!["load_average_end"] = Report.LoadAverage();
        result["total_seconds"] = Report.Round(total.Elapsed.TotalSeconds, 1);
        result["problems"] = new JsonArray([.. problems.Select(p => (JsonNode)p)]);
        result["sane"] = problems.Count == 0;
        await File.WriteAllTextAsync(options.OutPath,
            result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        Console.Write(Table(result));
        Console.WriteLine($"result written to {Path.GetFullPath(options.OutPath)}; {total.Elapsed.TotalSeconds:F1} s in all");
        return problems.Count == 0 ? 0 : 1;
    }

    private static string DatabaseOf(string side) => $"wms_telemetry_{side}";

    private async Task<Side> StartSideAsync(string name, string connectionString, Dictionary<string, string> environment)
    {
        var database = DatabaseOf(name);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var own = new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;
        log($"starting the service with telemetry {name}");
        var (silo, address) = await ServiceUnderTest.StartSiloAsync(options, pools, own, environment, log);
        return new Side(name, silo, address, environment);
    }

    private static async Task DropDatabasesAsync(string connectionString)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            foreach (var side in new[] { "off", "on" })
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {DatabaseOf(side)} WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
            }
        }
        catch (NpgsqlException e)
        {
            Console.Error.WriteLine($"warning: could not drop the bench's databases: {e.Message}");
        }
    }

    /// <summary>A quiet bench run on one service, for its submissions and settles (it logs nothing per slice).</summary>
    private BenchRun RunOf(Side side) => new(options, pools, side.Http, side.Monitor, _ => { });

    /// <summary>JIT, connection pools and grain activations warmed, and taskforces stored for the GETs to read.</summary>
    private async Task WarmUpAsync(Side side, Recorder seeds)
    {
        var run = RunOf(side);
        var seconds = options.Smoke ? 1 : 3;
        await ClosedLoop.RunAsync(options.Clients, 0, seconds / 2.0, seeds, (_, _, into) => side.Http.GetAsync(into.Of("root"), "v0/"));
        await ClosedLoop.RunAsync(options.Clients, 0, seconds, seeds, async (_, _, into) =>
        {
            var created = await run.CreateAsync(into.Of("seed"), Shapes.ShapeA(pools.SoloA, pools.SoloB, run.NextSerial()));
            if (created is not null)
            {
                lock (side.Stored)
                {
                    side.Stored.AddRange(created.TaskforceUuids);
                }
            }
        });
        if (side.Stored.Count == 0)
        {
            throw new InvalidOperationException($"the service with telemetry {side.Name} stored nothing while warming up");
        }
    }

    private Task<JsonObject> SettleAsync(Side side, string before)
    {
        var settle = RunOf(side).SettleAsync(before, options.Smoke ? 20 : 120);
        return settle.ContinueWith(t =>
        {
            t.Result["service"] = side.Name;
            return t.Result;
        }, TaskScheduler.Default);
    }

    /// <summary>
    /// <paramref name="requestClass"/> on each service in turn, slice by slice, the order reversed every other slice;
    /// a submission slice is settled after (its activations and launches done) so that the next slice, of either
    /// service, does not pay for them.
    /// </summary>
    private async Task AlternateAsync(
        string requestClass, Side[] sides, int slices, JsonArray settles, Func<Side, Func<int, long, Recorder, Task>> iteration)
    {
        var sliceSeconds = options.PhaseSeconds / slices;
        var loops = sides.ToDictionary(s => s, iteration);
        foreach (var side in sides)
        {
            await ClosedLoop.RunAsync(options.Clients, 0, Math.Min(1.0, sliceSeconds), Recorder.Discard(), loops[side]);
            if (requestClass == SubmitClass)
            {
                await SettleAsync(side, requestClass);
            }
        }
        for (var slice = 0; slice < slices && !Deadline.Aborted; slice++)
        {
            foreach (var side in slice % 2 == 0 ? sides : sides.Reverse())
            {
                var measure = side.Of(requestClass);
                var cpu = side.Monitor.CpuSeconds();
                measure.Seconds += await ClosedLoop.RunAsync(options.Clients, 0, sliceSeconds, measure.Recorder, loops[side]);
                measure.ServerCpu = cpu is { } before && side.Monitor.CpuSeconds() is { } after && measure.ServerCpu is { } sum
                    ? sum + (after - before)
                    : null;
                if (requestClass == SubmitClass)
                {
                    settles.Add(await SettleAsync(side, requestClass));
                }
            }
        }
    }

    /// <summary>Scrapes <c>/metrics</c> of <paramref name="side"/> every <see cref="ScrapeSeconds"/> s, as Prometheus would.</summary>
    private async Task ScrapeAsync(Side side, ClassRecord record, StrongBox<byte[]> last, CancellationToken stop)
    {
        var interval = options.Smoke ? 1 : ScrapeSeconds;
        while (!stop.IsCancellationRequested)
        {
            var reply = await side.Http.GetAsync(record, "metrics");
            if (reply.Ok)
            {
                last.Value = reply.Body;
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(interval), stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private static JsonObject Describe(Side side) => new()
    {
        ["environment"] = new JsonObject([.. side.Environment.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]),
        ["rss_end_mib"] = side.Monitor.RssMib() is { } rss ? Report.Round(rss, 1) : null,
    };

    /// <summary>Each class on both services, side by side, with on/off and the target's verdict.</summary>
    private static JsonObject Compare(Side[] sides, List<string> problems)
    {
        var classes = new JsonObject();
        foreach (var requestClass in new[] { GetClass, SubmitClass })
        {
            var entry = new JsonObject();
            var rates = new Dictionary<string, double>();
            foreach (var side in sides)
            {
                var measure = side.Of(requestClass);
                var stats = measure.Recorder.Of(requestClass).Stats(measure.Seconds);
                var json = stats.ToJson();
                json["server_cpu_us_per_request"] = measure.ServerCpu is { } cpu && stats.Count > 0
                    ? Report.Round(cpu * 1e6 / stats.Count, 1)
                    : null;
                entry[side.Name] = json;
                rates[side.Name] = stats.PerSecond;
                if (stats.Count == 0 || stats.Errors > 0)
                {
                    problems.Add($"{requestClass} with telemetry {side.Name}: {stats.Count} answered, {stats.Errors} failed " +
                        $"({string.Join("; ", stats.ErrorSamples)})");
                }
            }
            var ratio = rates["off"] > 0 ? rates["on"] / rates["off"] : double.NaN;
            entry["on_over_off"] = Report.Round(ratio, 4);
            entry["goal"] = Goal;
            entry["met"] = double.IsFinite(ratio) ? ratio >= Goal : null;
            classes[requestClass] = entry;
        }
        return classes;
    }

    private static double? Number(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;

    private static string Table(JsonObject result)
    {
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Telemetry on against off, same run ({result["settings"]!["clients"]} clients, {result["settings"]!["slices"]} alternating slices per service and class)");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{"class",-16} {"off /s",10} {"on /s",10} {"on/off",8} {"p99 off",9} {"p99 on",9} {"CPU/req off",12} {"CPU/req on",12}  target");
        if (result["classes"] is JsonObject classes)
        {
            foreach (var (name, node) in classes)
            {
                var off = node!["off"]!;
                var on = node["on"]!;
                var met = node["met"]?.GetValue<bool>();
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"{name,-16} {Figure(off["per_second"]),10} {Figure(on["per_second"]),10} {Figure(node["on_over_off"]),8} " +
                    $"{Figure(off["p99_ms"]) + " ms",9} {Figure(on["p99_ms"]) + " ms",9} " +
                    $"{Figure(off["server_cpu_us_per_request"]) + " µs",12} {Figure(on["server_cpu_us_per_request"]) + " µs",12}  " +
                    $"≥ {Goal:F2}: {(met is null ? "?" : met.Value ? "met" : "MISSED")}");
            }
        }
        if (result["scrapes"] is JsonObject scrapes)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"/metrics scraped {scrapes["count"]} times ({scrapes["errors"]} failed), {scrapes["bytes_mean"]} bytes, p50 {scrapes["p50_ms"]} ms");
        }
        if (result["otlp_sink"] is JsonObject sink)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"OTLP received: {sink.ToJsonString()}");
        }
        foreach (var problem in result["problems"]!.AsArray())
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"PROBLEM: {problem}");
        }
        return text.ToString();
    }

    private static string Figure(JsonNode? node) => node is null ? "-" : node.ToJsonString();
}
