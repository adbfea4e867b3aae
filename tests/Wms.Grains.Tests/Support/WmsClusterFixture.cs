using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using Wms.Domain.Index;
using Wms.GrainInterfaces.Configuration;
using Wms.GrainInterfaces.Mqs;
using Wms.GrainInterfaces.State;
using Wms.Grains.Hosting;

namespace Wms.Grains.Tests.Support;

/// <summary>
/// Two in-process silos running the real grains with memory storage and in-memory reminders. Every silo gets the
/// same index and MQS double instances, as the silos of one WMS process share one index.
/// </summary>
public abstract class WmsClusterFixture : IAsyncLifetime
{
    private InProcessTestCluster? _cluster;

    public RecordingObjectIndex Index { get; } = new();

    public ScriptedMqsClient Mqs { get; }

    protected WmsClusterFixture(bool repeatableMqs = false) => Mqs = new ScriptedMqsClient(repeatableMqs);

    public WmsOptions Options { get; } = new()
    {
        MqActivatorDelay = TimeSpan.FromMilliseconds(100),
        MqActivatorRetryWait = TimeSpan.FromMilliseconds(500),
        LaunchControlDelay = TimeSpan.Zero,
        TmsActionRetries = 2,
        LoopReminderPeriod = TimeSpan.FromSeconds(1),
    };

    public IClusterClient Client => _cluster?.Client ?? throw new InvalidOperationException("cluster not deployed");

    protected abstract void Adjust(WmsOptions options);

    public async Task InitializeAsync()
    {
        Adjust(Options);
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddWmsGrains();
            silo.AddMemoryGrainStorage(StorageNames.GrainStorage);
            silo.UseInMemoryReminderService();
            silo.Services.Configure<WmsOptions>(o =>
            {
                o.MqActivatorDelay = Options.MqActivatorDelay;
                o.MqActivatorRetryWait = Options.MqActivatorRetryWait;
                o.LaunchControlDelay = Options.LaunchControlDelay;
                o.TmsActionRetries = Options.TmsActionRetries;
                o.LoopReminderPeriod = Options.LoopReminderPeriod;
            });
            // The index is the host's to choose, and the scripted MQS replaces the grains' own; every silo shares both.
            silo.Services.AddSingleton<IObjectIndex>(Index);
            silo.Services.AddSingleton<IMqsClient>(Mqs);
            silo.Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>Launch control hands taskforces over without pause.</summary>
public sealed class FastCluster : WmsClusterFixture
{
    protected override void Adjust(WmsOptions options)
    {
    }
}

/// <summary>Launch control waits between taskforces, so their order shows in the phase change timestamps.</summary>
public sealed class PacedLaunchCluster : WmsClusterFixture
{
    public static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(60);

    protected override void Adjust(WmsOptions options) => options.LaunchControlDelay = Delay;
}

/// <summary>An MQS that keeps nothing of a reservation, as the embedded one; launch control without pause.</summary>
public sealed class RepeatableMqsCluster() : WmsClusterFixture(repeatableMqs: true)
{
    protected override void Adjust(WmsOptions options)
    {
    }
}

[CollectionDefinition(Name)]
public sealed class RepeatableMqsClusterCollection : ICollectionFixture<RepeatableMqsCluster>
{
    public const string Name = "repeatable MQS cluster";
}

[CollectionDefinition(Name)]
public sealed class FastClusterCollection : ICollectionFixture<FastCluster>
{
    public const string Name = "fast cluster";
}

[CollectionDefinition(Name)]
public sealed class PacedLaunchClusterCollection : ICollectionFixture<PacedLaunchCluster>
{
    public const string Name = "paced launch cluster";
}
