using System.Diagnostics;

namespace Wms.Testing;

/// <summary>Waits for a condition by polling; the way tests synchronise with background work instead of bare sleeps.</summary>
public static class Poll
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(25);

    /// <summary>True as soon as <paramref name="condition"/> holds; false once <paramref name="deadline"/> has passed.</summary>
    public static async Task<bool> UntilAsync(
        Func<Task<bool>> condition,
        TimeSpan deadline,
        TimeSpan? interval = null,
        CancellationToken cancellationToken = default)
    {
        var step = interval ?? DefaultInterval;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await condition().ConfigureAwait(false))
            {
                return true;
            }

            var left = deadline - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            await Task.Delay(left < step ? left : step, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Synchronous-condition overload of <see cref="UntilAsync(Func{Task{bool}}, TimeSpan, TimeSpan?, CancellationToken)"/>.</summary>
    public static Task<bool> UntilAsync(
        Func<bool> condition,
        TimeSpan deadline,
        TimeSpan? interval = null,
        CancellationToken cancellationToken = default) =>
        UntilAsync(() => Task.FromResult(condition()), deadline, interval, cancellationToken);
}
