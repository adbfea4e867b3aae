using System.Diagnostics;

namespace Wms.Bench;

/// <summary>A point in time after which a loop starts no new work; Ctrl+C brings every deadline forward.</summary>
public readonly struct Deadline
{
    private static readonly CancellationTokenSource Abort = new();
    private readonly long _end;

    private Deadline(long end) => _end = end;

    public static Deadline In(double seconds) =>
        new(Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency));

    public static void AbortAll() => Abort.Cancel();

    public static bool Aborted => Abort.IsCancellationRequested;

    public bool Passed => Aborted || Stopwatch.GetTimestamp() >= _end;

    public double SecondsLeft => Math.Max(0, (_end - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);

    /// <summary>Sleeps <paramref name="seconds"/>, or less when the deadline comes first or the run is aborted.</summary>
    public async Task SleepAsync(double seconds)
    {
        var wait = Math.Min(seconds, SecondsLeft);
        if (wait <= 0)
        {
            return;
        }
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(wait), Abort.Token);
        }
        catch (OperationCanceledException)
        {
            // aborted: the caller sees Passed
        }
    }
}

/// <summary>Closed loops: a fixed number of workers, each starting its next request as soon as the last one answered.</summary>
public static class ClosedLoop
{
    /// <summary>
    /// Runs <paramref name="iteration"/> on <paramref name="workers"/> workers: first for a warm-up whose requests are
    /// not recorded, then for <paramref name="seconds"/> into <paramref name="recorder"/>. Returns the measured seconds,
    /// up to the last answer.
    /// </summary>
    public static async Task<double> RunAsync(
        int workers, double warmupSeconds, double seconds, Recorder recorder, Func<int, long, Recorder, Task> iteration)
    {
        if (warmupSeconds > 0)
        {
            await LoopAsync(workers, warmupSeconds, Recorder.Discard(), iteration);
        }
        return await LoopAsync(workers, seconds, recorder, iteration);
    }

    private static async Task<double> LoopAsync(int workers, double seconds, Recorder recorder, Func<int, long, Recorder, Task> iteration)
    {
        var started = Stopwatch.GetTimestamp();
        var deadline = Deadline.In(seconds);
        var tasks = Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            for (long i = 0; !deadline.Passed; i++)
            {
                await iteration(worker, i, recorder);
            }
        }));
        await Task.WhenAll(tasks);
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
