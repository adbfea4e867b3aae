using Wms.GrainInterfaces.Configuration;

namespace Wms.Grains.Tests.Support;

/// <summary>
/// The MQ activator paced as in production, only shorter: a loop period of a second, so that "within two loop
/// periods" is a deadline a test can tell from scheduling noise. A cluster of its own, so that no other test's
/// failing workflows stand in the way.
/// </summary>
public sealed class PacedCluster : WmsClusterFixture
{
    public static readonly TimeSpan LoopPeriod = TimeSpan.FromSeconds(1);

    protected override void Adjust(WmsOptions options)
    {
        options.MqActivatorDelay = LoopPeriod;
        options.MqActivatorRetryWait = TimeSpan.FromSeconds(4);
        options.LaunchControlDelay = TimeSpan.Zero;
    }
}

[CollectionDefinition(Name)]
public sealed class PacedClusterCollection : ICollectionFixture<PacedCluster>
{
    public const string Name = "paced cluster";
}
