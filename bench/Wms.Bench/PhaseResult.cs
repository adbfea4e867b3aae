using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Wms.Bench;

/// <summary>What one phase measured: its request classes and what the processes used meanwhile.</summary>
public sealed class PhaseResult
{
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required double Seconds { get; init; }
    public required IReadOnlyList<ClassStats> Classes { get; init; }

    /// <summary>CPU seconds of the process that served the phase (the service, or the trivial server).</summary>
    public double? ServerCpuSeconds { get; init; }

    public double BenchCpuSeconds { get; init; }
    public double? ServerPeakRssMib { get; init; }
    public JsonObject Extra { get; init; } = [];

    public ClassStats? Class(string name) => Classes.FirstOrDefault(c => c.Name == name);

    public JsonObject ToJson()
    {
        var classes = new JsonObject();
        foreach (var stats in Classes)
        {
            var json = stats.ToJson();
            if (!Name.StartsWith("baseline-", StringComparison.Ordinal))
            {
                json["api"] = stats.Generation.Prefix();
            }
            if (ServerCpuSeconds is { } cpu && Classes.Count == 1 && stats.Count > 0)
            {
                json["server_cpu_ms_per_request"] = Report.Round(cpu * 1000 / stats.Count, 4);
            }
            classes[stats.Name] = json;
        }
        var result = new JsonObject
        {
            ["description"] = Description,
            ["seconds"] = Report.Round(Seconds, 3),
            ["server_cpu_seconds"] = ServerCpuSeconds is { } s ? Report.Round(s, 3) : null,
            ["bench_cpu_seconds"] = Report.Round(BenchCpuSeconds, 3),
            ["server_peak_rss_mib"] = ServerPeakRssMib is { } m ? Report.Round(m, 1) : null,
            ["classes"] = classes,
        };
        foreach (var (key, value) in Extra)
        {
            result[key] = value?.DeepClone();
        }
        return result;
    }

    /// <summary>Runs <paramref name="body"/> and gathers what it recorded, with CPU and memory of the phase.</summary>
    public static async Task<PhaseResult> MeasureAsync(
        string name, string description, HostMonitor serverMonitor, Func<Recorder, JsonObject, Task<double>> body)
    {
        var recorder = new Recorder();
        var extra = new JsonObject();
        serverMonitor.TakePhasePeakRssMib();
        var serverCpu = serverMonitor.CpuSeconds();
        using var bench = Process.GetCurrentProcess();
        var benchCpu = bench.TotalProcessorTime;
        var seconds = await body(recorder, extra);
        var serverCpuAfter = serverMonitor.CpuSeconds();
        bench.Refresh();
        return new PhaseResult
        {
            Name = name,
            Description = description,
            Seconds = seconds,
            Classes = recorder.Classes.Select(c => c.Stats(seconds)).ToList(),
            ServerCpuSeconds = serverCpu is { } before && serverCpuAfter is { } after ? after - before : null,
            BenchCpuSeconds = (bench.TotalProcessorTime - benchCpu).TotalSeconds,
            ServerPeakRssMib = serverMonitor.TakePhasePeakRssMib(),
            Extra = extra,
        };
    }
}
