using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Wms.Bench;

/// <summary>Latencies, errors and item counts of one phase, per request class.</summary>
public sealed class Recorder
{
    private readonly ConcurrentDictionary<string, ClassRecord> _classes = new(StringComparer.Ordinal);

    /// <summary>A recorder that keeps nothing worth reporting: used for warm-ups.</summary>
    public static Recorder Discard() => new();

    public ClassRecord Of(string requestClass) => _classes.GetOrAdd(requestClass, static name => new ClassRecord(name));

    public IEnumerable<ClassRecord> Classes => _classes.Values.OrderBy(c => c.Name, StringComparer.Ordinal);

    public long TotalErrors => _classes.Values.Sum(c => c.Errors);
}

/// <summary>One request class: successful latencies (milliseconds), errors with a few samples, and items carried.</summary>
public sealed class ClassRecord(string name)
{
    private const int MaxErrorSamples = 5;
    private readonly Lock _gate = new();
    private readonly List<double> _latenciesMs = [];
    private readonly List<string> _errorSamples = [];
    private long _errors;
    private long _items;
    private long _responseBytes;

    public string Name { get; } = name;

    public long Errors
    {
        get
        {
            lock (_gate)
            {
                return _errors;
            }
        }
    }

    /// <summary>Items carried by the successful requests so far.</summary>
    public long Items
    {
        get
        {
            lock (_gate)
            {
                return _items;
            }
        }
    }

    /// <summary>One successful request; <paramref name="responseBytes"/> is the size of its answer's body, if any.</summary>
    public void Success(double milliseconds, long items = 1, long responseBytes = 0)
    {
        lock (_gate)
        {
            _latenciesMs.Add(milliseconds);
            _items += items;
            _responseBytes += responseBytes;
        }
    }

    public void Error(string description)
    {
        lock (_gate)
        {
            _errors++;
            if (_errorSamples.Count < MaxErrorSamples)
            {
                _errorSamples.Add(description);
            }
        }
    }

    /// <summary>The figures of this class over a phase that lasted <paramref name="seconds"/>.</summary>
    public ClassStats Stats(double seconds)
    {
        lock (_gate)
        {
            var sorted = _latenciesMs.ToArray();
            Array.Sort(sorted);
            return new ClassStats(Name, sorted.Length, _errors, _items, seconds, sorted, [.. _errorSamples])
            {
                ResponseBytes = _responseBytes,
            };
        }
    }
}

/// <summary>Summary of one request class over one phase.</summary>
public sealed class ClassStats
{
    public ClassStats(string name, long count, long errors, long items, double seconds, double[] sortedMs, List<string> errorSamples)
    {
        Name = name;
        Count = count;
        Errors = errors;
        Items = items;
        Seconds = seconds;
        PerSecond = seconds > 0 ? count / seconds : 0;
        ItemsPerSecond = seconds > 0 ? items / seconds : 0;
        P50 = Percentile(sortedMs, 0.50);
        P95 = Percentile(sortedMs, 0.95);
        P99 = Percentile(sortedMs, 0.99);
        Max = sortedMs.Length > 0 ? sortedMs[^1] : 0;
        Mean = sortedMs.Length > 0 ? sortedMs.Average() : 0;
        ErrorSamples = errorSamples;
    }

    public string Name { get; }
    public long Count { get; }
    public long Errors { get; }
    public long Items { get; }
    public double Seconds { get; }
    public double PerSecond { get; }
    public double ItemsPerSecond { get; }
    public double P50 { get; }
    public double P95 { get; }
    public double P99 { get; }
    public double Max { get; }
    public double Mean { get; }
    public List<string> ErrorSamples { get; }

    /// <summary>The bytes of every successful answer's body.</summary>
    public long ResponseBytes { get; init; }

    /// <summary>The mean size of a successful answer's body, in bytes.</summary>
    public double MeanResponseBytes => Count > 0 ? ResponseBytes / (double)Count : 0;

    /// <summary>The generation of the API the class was sent in.</summary>
    public Generation Generation => Generations.OfClass(Name);

    /// <summary>Nearest-rank percentile of sorted values; 0 for none.</summary>
    public static double Percentile(double[] sorted, double fraction)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }
        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public JsonObject ToJson() => new()
    {
        ["count"] = Count,
        ["errors"] = Errors,
        ["seconds"] = Report.Round(Seconds, 3),
        ["per_second"] = Report.Round(PerSecond, 1),
        ["items"] = Items,
        ["items_per_second"] = Report.Round(ItemsPerSecond, 1),
        ["p50_ms"] = Report.Round(P50, 3),
        ["p95_ms"] = Report.Round(P95, 3),
        ["p99_ms"] = Report.Round(P99, 3),
        ["max_ms"] = Report.Round(Max, 3),
        ["mean_ms"] = Report.Round(Mean, 3),
        ["response_bytes_mean"] = Report.Round(MeanResponseBytes, 1),
        ["error_samples"] = new JsonArray(ErrorSamples.Select(e => (JsonNode)e).ToArray()),
    };
}
