using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Serialization.Invocation;
using Wms.Domain.Index;
using Wms.GrainInterfaces.Configuration;
using Wms.GrainInterfaces.Grains;

namespace Wms.Grains.Loops;

/// <summary>
/// Releases pre-launch taskforces to the TMS, highest worker priority first, then oldest, at the configured pace.
/// Unpaced (a delay of 0), it starts them in that order with up to <see cref="LaunchWindow"/> in flight.
/// </summary>
[MayInterleave(nameof(MayInterleave))]
public sealed class LaunchControlGrain(
    IObjectIndex index, IOptions<WmsOptions> options, ILogger<LaunchControlGrain> logger)
    : BackgroundLoopGrain(logger, options.Value.LoopReminderPeriod), ILaunchControlGrain
{
    /// <summary>A reminder's tick interleaves with a running round (<see cref="BackgroundLoopGrain.IsReminderTick"/>).</summary>
    public static bool MayInterleave(IInvokable request) => IsReminderTick(request);

    private const int Batch = 100;

    /// <summary>
    /// Launches in flight at once when unpaced. A launch is a grain state write and an index write, mostly waiting,
    /// so overlapping them multiplies the rate.
    /// </summary>
    public const int LaunchWindow = 16;

    protected override string LoopName => "launch-control";

    protected override async Task<TimeSpan?> RunRoundAsync(CancellationToken cancellationToken)
    {
        var delay = options.Value.LaunchControlDelay;
        if (delay > TimeSpan.Zero)
        {
            // One per beat; the order is read afresh each time, so a newly arrived higher priority goes first.
            var next = await index.LaunchCandidatesAsync(1, cancellationToken);
            if (next.Count == 0)
            {
                return null;
            }
            await GrainFactory.Get<ITaskforceGrain>(next[0]).LaunchAsync();
            return delay;
        }
        while (true)
        {
            if (SiloLeaving)
            {
                // Not null: the reminder must stay, to bring the loop back on a silo that stays.
                return TimeSpan.FromSeconds(1);
            }
            var batch = await index.LaunchCandidatesAsync(Batch, cancellationToken);
            if (batch.Count == 0)
            {
                return null;
            }
            if (await LaunchAllAsync(batch) == 0)
            {
                // The index listed only taskforces that had moved on; they have re-published, so look again later.
                return TimeSpan.FromSeconds(1);
            }
        }
    }

    /// <summary>
    /// Launches the batch, started in its order with a bounded number in flight; returns how many moved. The whole
    /// batch finishes before the next is read, since the index lists a taskforce until its launch is written; once
    /// the silo is leaving, only the launches under way.
    /// </summary>
    private async Task<int> LaunchAllAsync(IReadOnlyList<string> batch)
    {
        var window = new CallWindow<string, bool>(LaunchWindow);
        var launched = 0;
        var next = 0;
        while (true)
        {
            // After an exception nothing more starts; the ones running finish, then it is thrown.
            while (!window.Failed && next < batch.Count && window.Free > 0 && !SiloLeaving)
            {
                var uuid = batch[next++];
                window.Start(uuid, GrainFactory.Get<ITaskforceGrain>(uuid).LaunchAsync());
            }
            if (window.Count == 0)
            {
                break;
            }
            var (_, succeeded, moved) = await window.NextFinishedAsync();
            launched += succeeded && moved ? 1 : 0;
        }
        window.ThrowIfFailed();
        return launched;
    }
}
