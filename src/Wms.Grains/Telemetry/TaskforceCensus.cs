using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Telemetry;

namespace Wms.Grains.Telemetry;

/// <summary>
/// How many taskforces each phase holds across the cluster, for the gauges <see cref="WmsMetrics.Taskforces"/> and
/// <see cref="WmsMetrics.LaunchQueueDepth"/> (the pre-launch ones). A gauge is read synchronously, by a scrape that
/// must not wait on the database, so the count is taken in the background every <see cref="Period"/> and the gauges
/// show the latest one. It is taken only while someone reads the gauges: from the start for
/// <see cref="IdleAfter"/>, and again from the first read after that. A count that takes long (PostgreSQL reads the
/// whole table when vacuum is behind) is taken less often, so that counting never costs the database more than a
/// twentieth of one connection's time.
/// </summary>
/// <remarks>
/// Every silo counts the same shared index, so every silo shows the cluster's counts: aggregate across silos with
/// max, not sum. A count that fails keeps the one before for a while; one older than <see cref="IdleAfter"/> is not
/// shown at all, so a gauge goes missing rather than wrong.
/// </remarks>
public sealed partial class TaskforceCensus : IDisposable
{
    /// <summary>How often the count is taken while the gauges are read.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    /// <summary>
    /// With no read for this long the counting stops. Longer than any scrape or export interval in use (Prometheus'
    /// default is a minute, as is OTLP's), so a steady reader keeps it going.
    /// </summary>
    public static readonly TimeSpan IdleAfter = TimeSpan.FromMinutes(10);

    /// <summary>The pause after a count is at least this many times as long as the count took.</summary>
    private const int PauseOverCount = 20;

    private readonly IObjectIndex _index;
    private readonly TimeProvider _time;
    private readonly ILogger<TaskforceCensus> _logger;
    private readonly CancellationTokenSource _stop = new();
    private Snapshot? _latest;
    private long _lastReadTicks;
    private int _counting;
    private bool _failing;

    private sealed record Snapshot(IReadOnlyDictionary<string, long> Counts, DateTimeOffset TakenAt);

    public TaskforceCensus(WmsMetrics metrics, IObjectIndex index, TimeProvider time, ILogger<TaskforceCensus> logger)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _index = index;
        _time = time;
        _logger = logger;
        metrics.Meter.CreateObservableGauge(WmsMetrics.Taskforces, ObservePhases, "{taskforce}",
            "Taskforces in each phase, across the cluster (each silo shows the same count)");
        metrics.Meter.CreateObservableGauge(WmsMetrics.LaunchQueueDepth, ObserveLaunchQueue, "{taskforce}",
            "Taskforces waiting for launch control (phase pre-launch), across the cluster");
        // Counted from the start, so that the first scrape already has numbers.
        Read();
    }

    public void Dispose()
    {
        if (!_stop.IsCancellationRequested)
        {
            _stop.Cancel();
        }
    }

    private IEnumerable<Measurement<long>> ObservePhases()
    {
        if (Read() is not { } snapshot)
        {
            return [];
        }
        // Every phase, none left out for being empty: a phase that empties drops to 0 rather than vanishing.
        return Phase.All.Select(phase => new Measurement<long>(snapshot.Counts.GetValueOrDefault(phase),
            new KeyValuePair<string, object?>("phase", phase)));
    }

    private IEnumerable<Measurement<long>> ObserveLaunchQueue() =>
        Read() is { } snapshot ? [new Measurement<long>(snapshot.Counts.GetValueOrDefault(Phase.PreLaunch))] : [];

    /// <summary>Notes the read, starts counting if it had stopped, and gives what may be shown.</summary>
    private Snapshot? Read()
    {
        var now = _time.GetUtcNow();
        Interlocked.Exchange(ref _lastReadTicks, now.UtcTicks);
        if (Interlocked.CompareExchange(ref _counting, 1, 0) == 0 && !_stop.IsCancellationRequested)
        {
            // On the thread pool: the first read may come from a scrape, which must not wait for the database.
            _ = Task.Run(CountWhileReadAsync);
        }
        var latest = Volatile.Read(ref _latest);
        return latest is not null && now - latest.TakenAt <= IdleAfter ? latest : null;
    }

    private async Task CountWhileReadAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var started = _time.GetTimestamp();
                await CountOnceAsync();
                var took = _time.GetElapsedTime(started);
                var sinceRead = _time.GetUtcNow() - new DateTimeOffset(Interlocked.Read(ref _lastReadTicks), TimeSpan.Zero);
                if (sinceRead > IdleAfter)
                {
                    break;
                }
                await Task.Delay(took * PauseOverCount > Period ? took * PauseOverCount : Period, _time, _stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopping with the silo.
        }
        finally
        {
            Volatile.Write(ref _counting, 0);
        }
    }

    private async Task CountOnceAsync()
    {
        try
        {
            var counts = await _index.CountTaskforcesByPhaseAsync(_stop.Token);
            Volatile.Write(ref _latest, new Snapshot(counts, _time.GetUtcNow()));
            if (_failing)
            {
                _failing = false;
                LogCountingAgain();
            }
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            // Said once per outage: the database being away is logged by those whose requests it fails.
            if (!_failing)
            {
                _failing = true;
                LogCountFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Counting taskforces by phase failed; the wms.taskforces gauges keep the last count for a while")]
    private partial void LogCountFailed(Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Counting taskforces by phase works again")]
    private partial void LogCountingAgain();
}
