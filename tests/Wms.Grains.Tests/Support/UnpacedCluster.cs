using Wms.GrainInterfaces.Configuration;

namespace Wms.Grains.Tests.Support;

/// <summary>
/// Both loops unpaced (delays 0), as the benchmark runs them: the MQ activator's back-off after an MQS failure is then
/// its fixed second, long enough to tell from the loop's ordinary pace. A cluster of its own, so that no other test's
/// workflows stand in the activation order these tests check.
/// </summary>
public sealed class UnpacedCluster : WmsClusterFixture
{
    public static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(1);

    protected override void Adjust(WmsOptions options)
    {
        options.MqActivatorDelay = TimeSpan.Zero;
        options.LaunchControlDelay = TimeSpan.Zero;
    }
}

[CollectionDefinition(Name)]
public sealed class UnpacedClusterCollection : ICollectionFixture<UnpacedCluster>
{
    public const string Name = "unpaced cluster";
}
