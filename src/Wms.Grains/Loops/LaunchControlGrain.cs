using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wms.GrainInterfaces.Configuration;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Storage;

namespace Wms.Grains.Loops;

/// <summary>
/// Releases pre-launch taskforces to the TMS, highest worker priority first, then oldest, at the configured pace.
/// </summary>
public sealed class LaunchControlGrain(
    IObjectIndex index, IOptions<WmsOptions> options, ILogger<LaunchControlGrain> logger)
    : BackgroundLoopGrain(logger, options.Value.LoopReminderPeriod), ILaunchControlGrain
{
    private const int Batch = 100;

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
            await GrainFactory.GetGrain<ITaskforceGrain>(next[0]).LaunchAsync();
            return delay;
        }
        while (true)
        {
            var batch = await index.LaunchCandidatesAsync(Batch, cancellationToken);
            if (batch.Count == 0)
            {
                return null;
            }
            var launched = 0;
            foreach (var uuid in batch)
            {
                launched += await GrainFactory.GetGrain<ITaskforceGrain>(uuid).LaunchAsync() ? 1 : 0;
            }
            if (launched == 0)
            {
                // The index listed only taskforces that had moved on; they have re-published, so look again later.
                return TimeSpan.FromSeconds(1);
            }
        }
    }
}
