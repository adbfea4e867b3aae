using Orleans.Concurrency;

namespace Wms.GrainInterfaces.Grains;

/// <summary>The cluster's single MQ activation loop (key 0): activates pending workflows in the contract's order.</summary>
public interface IMqActivatorGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Says new work may be waiting; the caller never waits for the loop. It interleaves with a running round, or
    /// every submission's kick would queue behind it (and Orleans scans that queue on each arrival).
    /// </summary>
    [OneWay]
    [AlwaysInterleave]
    Task KickAsync();
}
