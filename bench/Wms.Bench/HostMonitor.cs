using System.Diagnostics;
using System.Globalization;

namespace Wms.Bench;

/// <summary>
/// Samples the memory of the service's process from /proc/&lt;pid&gt;/status (VmRSS now, VmHWM the kernel's own
/// peak) and reads its CPU time, so that every phase can say how much the host used.
/// </summary>
public sealed class HostMonitor : IAsyncDisposable
{
    private readonly int? _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private long _phasePeakRssKb;
    private long _peakRssKb;

    public HostMonitor(int? pid)
    {
        _pid = pid;
        _sampling = pid is null ? Task.CompletedTask : SampleAsync();
    }

    public bool Available => _pid is not null && File.Exists(StatusPath);

    private string StatusPath => $"/proc/{_pid}/status";

    /// <summary>Peak resident memory in MiB since the process started (VmHWM), or null when it cannot be read.</summary>
    public double? PeakRssMib() => ReadKb("VmHWM") is { } kb ? kb / 1024.0 : (_peakRssKb > 0 ? _peakRssKb / 1024.0 : null);

    public double? RssMib() => ReadKb("VmRSS") is { } kb ? kb / 1024.0 : null;

    /// <summary>The highest VmRSS sampled since the last call, in MiB; starts a new phase.</summary>
    public double? TakePhasePeakRssMib()
    {
        var kb = Interlocked.Exchange(ref _phasePeakRssKb, 0);
        return kb > 0 ? kb / 1024.0 : null;
    }

    /// <summary>User plus system CPU seconds the process has used, or null.</summary>
    public double? CpuSeconds()
    {
        if (_pid is not { } pid)
        {
            return null;
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.TotalProcessorTime.TotalSeconds;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            do
            {
                if (ReadKb("VmRSS") is { } rss)
                {
                    InterlockedMax(ref _phasePeakRssKb, rss);
                    InterlockedMax(ref _peakRssKb, rss);
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
            // the bench is done
        }
    }

    private long? ReadKb(string field)
    {
        if (_pid is null)
        {
            return null;
        }
        try
        {
            foreach (var line in File.ReadLines(StatusPath))
            {
                if (!line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    continue;
                }
                var parts = line[(field.Length + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                return long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb) ? kb : null;
            }
        }
        catch (IOException)
        {
            // the process is gone
        }
        catch (UnauthorizedAccessException)
        {
            // not ours to read
        }
        return null;
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
