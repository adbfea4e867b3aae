using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Wms.Grains.Loops;

namespace Wms.Grains.Tests.Loops;

/// <summary>A background loop for tests: its first round waits at a gate, and no round ever finds work.</summary>
public interface IGatedLoopGrain : IGrainWithIntegerKey
{
    /// <summary>As the real loops' kick, but awaitable, so a test knows when the grain has taken it.</summary>
    [AlwaysInterleave]
    Task KickAsync();

    [AlwaysInterleave]
    Task<int> RoundsAsync();

    [AlwaysInterleave]
    Task<bool> HasReminderAsync();
}

public sealed class GatedLoopGrain(ILogger<GatedLoopGrain> logger)
    : BackgroundLoopGrain(logger, ReminderPeriod), IGatedLoopGrain
{
    /// <summary>Gates of first rounds, by grain key, set by tests before the grain first activates.</summary>
    public static ConcurrentDictionary<long, TaskCompletionSource> Gates { get; } = new();

    /// <summary>Long, so that only the kick, not the reminder, can bring a prompt second round.</summary>
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private int _rounds;

    protected override string LoopName => "gated-test-loop";

    public Task<int> RoundsAsync() => Task.FromResult(_rounds);

    public async Task<bool> HasReminderAsync() => await this.GetReminder(LoopName) is not null;

    protected override async Task<TimeSpan?> RunRoundAsync(CancellationToken cancellationToken)
    {
        _rounds++;
        if (Gates.TryRemove(this.GetPrimaryKeyLong(), out var gate))
        {
            await gate.Task;
        }
        return null;
    }
}
