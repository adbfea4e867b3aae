using Wms.GrainInterfaces.Grains;

namespace Wms.Silo;

/// <summary>
/// Kicks the background loops when a silo starts. A kick is one-way, so a submission can be answered before the loop
/// has registered the reminder that would bring it back after a crash; the loops' queues are index queries, and a
/// kick at start finds whatever such a crash left waiting. A loop with nothing to do rests again at once.
/// </summary>
internal sealed class LoopStart(IGrainFactory grains) : IStartupTask
{
    public async Task Execute(CancellationToken cancellationToken)
    {
        await grains.GetGrain<IMqActivatorGrain>(0).KickAsync();
        await grains.GetGrain<ILaunchControlGrain>(0).KickAsync();
    }
}
