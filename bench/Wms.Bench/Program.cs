using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wms.Bench;

if (args.Length > 0 && args[0] == TrivialServer.Flag)
{
    return await TrivialServer.ServeAsync(args);
}
if (args.Length > 0 && args[0] == OtlpSink.Flag)
{
    return await OtlpSink.ServeAsync(args);
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (UsageException e)
{
    if (e.Message.Length > 0)
    {
        Console.Error.WriteLine($"error: {e.Message}\n");
    }
    Console.Error.WriteLine(BenchOptions.Usage);
    return e.Message.Length > 0 ? 2 : 0;
}

var pools = new Pools(options.Schedds);
if (options.PrintEnvironment)
{
    Console.WriteLine("# The service's settings for this bench (add WMS_POSTGRES, REST_PORT, ... of your own):");
    foreach (var (key, value) in ServiceUnderTest.BenchSettings(pools))
    {
        Console.WriteLine($"export {key}='{value}'");
    }
    return 0;
}

var total = Stopwatch.StartNew();
void Log(string message) => Console.WriteLine($"[{total.Elapsed.TotalSeconds,6:F1} s] {message}");
// Ctrl+C or a TERM: every loop ends at its next step; the processes and the database are then cleaned up as usual.
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
static void Interrupt(PosixSignalContext context)
{
    context.Cancel = true;
    Deadline.AbortAll();
}
if (options.Telemetry)
{
    return await new TelemetryComparison(options, pools, Log).RunAsync();
}

if (options.HistoryCompare)
{
    return await CompareHistoryAsync();
}

var context = Report.Header("wms-bench", 1, options.Smoke, new JsonObject
{
    ["duration_s"] = options.Duration,
    ["phase_seconds"] = options.PhaseSeconds,
    ["clients"] = options.Clients,
    ["schedds"] = options.Schedds,
    ["users"] = options.Users,
    ["queriers"] = options.Queriers,
    ["rate"] = options.Rate,
    ["shape_b_every"] = options.ShapeBEvery,
    ["status_interval_s"] = options.StatusInterval,
    ["tms_poll_interval_s"] = options.TmsPollInterval,
    ["query_interval_s"] = options.QueryInterval,
    ["run_seconds"] = options.RunSeconds,
    ["workflow_seconds"] = options.WorkflowSeconds,
    ["probe_sizes"] = new JsonArray(options.ProbeSizes.Select(s => (JsonNode)s).ToArray()),
    ["probe_polls"] = options.ProbePolls,
    ["probe_settle_seconds"] = options.ProbeSettle,
    ["tms_api"] = options.TmsApi,
    ["watchers"] = options.Watchers,
    ["watch_probers"] = options.Watchers > 0 ? options.WatchProbers : null,
});

var phases = new List<PhaseResult>();
var settles = new JsonArray();
context["settles"] = settles;
var failures = new List<string>();
double? peakRssMib = null;
long created = 0;
ServiceUnderTest? service = null;
ChildProcess? trivialProcess = null;
try
{
    Log(options.Target is null ? "starting PostgreSQL, the service and the trivial endpoint" : $"targeting {options.Target}");
    var serviceStart = options.Target is null
        ? ServiceUnderTest.StartAsync(options, pools, Log)
        : ServiceUnderTest.TargetAsync(options);
    var trivialStart = TrivialServer.StartAsync();
    try
    {
        await Task.WhenAll(serviceStart, trivialStart);
    }
    finally
    {
        // Whichever started is stopped at the end even when the other failed.
        service = serviceStart.IsCompletedSuccessfully ? serviceStart.Result : null;
        trivialProcess = trivialStart.IsCompletedSuccessfully ? trivialStart.Result.Process : null;
    }
    var (_, trivialAddress) = trivialStart.Result;
    context["service"] = new JsonObject
    {
        ["mode"] = service!.Started ? "started" : "targeted",
        ["address"] = service.Address.ToString(),
        ["pid"] = service.Pid,
        ["storage"] = "postgres",
        ["insert_ceiling"] = service.ConnectionString is not null,
        ["memory_mib"] = service.Started && options.ServiceMemory > 0 ? options.ServiceMemory : null,
        ["gc_heap_hard_limit_bytes"] = service.Started && options.ServiceHeapLimit > 0 ? options.ServiceHeapLimit : null,
        ["extra_environment"] = new JsonObject(options.ServiceEnvironment.Select(kv =>
            KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
    };
    Log($"service up at {service.Address} (pid {service.Pid?.ToString(CultureInfo.InvariantCulture) ?? "unknown"})");

    using var wms = new BenchHttp(service.Address);
    await using var monitor = new HostMonitor(service.Pid);
    var run = new BenchRun(options, pools, wms, monitor, Log);

    // A service that dies ends every loop at once rather than letting each run into its time limits.
    using var watchdogStop = new CancellationTokenSource();
    var watchdog = Task.Run(async () =>
    {
        while (!watchdogStop.IsCancellationRequested && service.Failure() is null)
        {
            await Task.Delay(250);
        }
        if (service.Failure() is not null)
        {
            Deadline.AbortAll();
        }
    });

    async Task Phase(string what, Func<Task<PhaseResult>> body)
    {
        if (!Deadline.Aborted)
        {
            Log(what);
            phases.Add(await body());
        }
        if (service.Failure() is { } reason)
        {
            throw new InvalidOperationException($"the service died during or before {what}: {reason}");
        }
    }

    Log("warming up");
    await run.WarmUpAsync(trivialAddress);
    await Phase("HTTP ceiling (trivial endpoint)", () => run.HttpCeilingAsync("baseline-http", trivialAddress, trivialProcess!.Pid));
    if (service.ConnectionString is { } connectionString)
    {
        await Phase("durability ceiling (PostgreSQL single-row inserts)", () => run.DatabaseCeilingAsync(connectionString));
    }
    else
    {
        Log("no --postgres given with --target: the durability ceiling is not measured");
    }
    await Phase("pending-starter probe", run.ProbeAsync);
    if (!Deadline.Aborted)
    {
        settles.Add(await run.SettleAfterProbeAsync(service.ConnectionString));
    }
    if (!Deadline.Aborted)
    {
        Log($"isolated request classes, {options.PhaseSeconds} s each");
        phases.AddRange(await run.IsolatedAsync());
    }
    await Phase("POST to pending-starter, one workflow at a time", run.IsolatedLatencyAsync);
    var settleLimit = options.Smoke ? 20 : 300;
    settles.Add(await run.SettleAsync("isolated-submit", settleLimit));
    await Phase("isolated submission", run.IsolatedSubmitAsync);
    settles.Add(await run.SettleAsync("mixed", settleLimit));
    await Phase($"mixed load for {options.Duration} s", run.MixedAsync);
    await Phase("HTTP ceiling again", () => run.HttpCeilingAsync("baseline-http-end", trivialAddress, trivialProcess!.Pid));

    await watchdogStop.CancelAsync();
    await watchdog;
    if (Deadline.Aborted)
    {
        failures.Add("interrupted: the run was stopped before its end");
    }

    peakRssMib = monitor.PeakRssMib();
    created = run.CreatedTaskforces;
    context["service"]!["rss_end_mib"] = monitor.RssMib() is { } rss ? Report.Round(rss, 1) : null;
}
catch (Exception e)
{
    // Whatever went wrong, the report says so and everything started is stopped.
    Console.Error.WriteLine(e);
    failures.Add($"the run stopped: {e.Message}");
    if (service?.Tail() is { Length: > 0 } tail)
    {
        Console.Error.WriteLine($"last output of the service:\n{tail}");
    }
}
finally
{
    trivialProcess?.Dispose();
    if (service is not null)
    {
        await service.DisposeAsync();
    }
}

context["machine"]!["load_average_end"] = Report.LoadAverage();
context["total_seconds"] = Report.Round(total.Elapsed.TotalSeconds, 1);
var report = new Report(options, phases, context, peakRssMib, created, failures);
var json = report.ToJson();
await File.WriteAllTextAsync(options.OutPath, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
Console.Write(report.Table());
if (report.Problems.Count > 0 && service?.Tail() is { Length: > 0 } serviceTail)
{
    var logPath = options.OutPath + ".service.log";
    await File.WriteAllTextAsync(logPath, serviceTail + "\n");
    Console.WriteLine($"the service's last output: {Path.GetFullPath(logPath)}");
}
Console.WriteLine($"result written to {Path.GetFullPath(options.OutPath)}; {total.Elapsed.TotalSeconds:F1} s in all");
return report.Problems.Count == 0 ? 0 : 1;

// Status ingestion with the status history on against off, alone (--history-compare).
async Task<int> CompareHistoryAsync()
{
    var measured = new List<PhaseResult>();
    var result = Report.Header("wms-bench-history", null, options.Smoke, new JsonObject
    {
        ["phase_seconds"] = options.PhaseSeconds,
        ["clients"] = options.Clients,
        ["active_taskforces"] = options.ActiveTaskforces,
    });
    var failed = false;
    try
    {
        result["history"] = await HistoryComparison.RunAsync(options, pools, measured, Log);
    }
    catch (Exception e)
    {
        Console.Error.WriteLine(e);
        result["error"] = e.Message;
        failed = true;
    }
    result["phases"] = new JsonArray([.. measured.Select(p => (JsonNode)p.ToJson())]);
    result["machine"]!["load_average_end"] = Report.LoadAverage();
    result["total_seconds"] = Report.Round(total.Elapsed.TotalSeconds, 1);
    var errors = measured.Sum(p => p.Classes.Sum(c => c.Errors));
    await File.WriteAllTextAsync(options.OutPath,
        result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    if (result["history"] is JsonObject history)
    {
        Console.WriteLine(HistoryComparison.Line(history));
    }
    Console.WriteLine($"{errors} failed requests; result written to {Path.GetFullPath(options.OutPath)}; " +
        $"{total.Elapsed.TotalSeconds:F1} s in all");
    return failed || errors > 0 || Deadline.Aborted ? 1 : 0;
}

