using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using Wms.Domain.Index;
using Wms.GrainInterfaces.Configuration;
using Wms.GrainInterfaces.Mqs;
using Wms.GrainInterfaces.State;
using Wms.GrainInterfaces.Watch;
using Wms.Grains.Hosting;
using Wms.Grains.Tests.Support;
using Wms.Grains.Watch;

namespace Wms.Grains.Tests.Watch;

/// <summary>
/// Two in-process silos running the real grains, with a small event buffer (<see cref="Buffered"/>) so that a
/// watcher can fall behind it, and each silo's <see cref="WatchDirectory"/> within reach.
/// </summary>
public sealed class WatchCluster : IAsyncLifetime
{
    public const int Buffered = 8;

    private InProcessTestCluster? _cluster;

    public RecordingObjectIndex Index { get; } = new();

    public ScriptedMqsClient Mqs { get; } = new();

    public IClusterClient Client => Cluster.Client;

    /// <summary>Every silo's directory of watched workflows.</summary>
    public IReadOnlyList<WatchDirectory> Directories =>
        [.. Cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<WatchDirectory>())];

    private InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("cluster not deployed");

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddWmsGrains();
            silo.AddMemoryGrainStorage(StorageNames.GrainStorage);
            silo.UseInMemoryReminderService();
            silo.Services.Configure<WmsOptions>(o =>
            {
                o.MqActivatorDelay = TimeSpan.FromMilliseconds(100);
                o.MqActivatorRetryWait = TimeSpan.FromMilliseconds(500);
                o.LaunchControlDelay = TimeSpan.Zero;
                o.LoopReminderPeriod = TimeSpan.FromSeconds(1);
            });
            silo.Services.Configure<WatchOptions>(o =>
            {
                o.BufferedEvents = Buffered;
                o.RefreshPeriod = TimeSpan.FromSeconds(1);
                o.Grace = TimeSpan.FromSeconds(2);
            });
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

[CollectionDefinition(Name)]
public sealed class WatchClusterCollection : ICollectionFixture<WatchCluster>
{
    public const string Name = "watch cluster";
}
