using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Wms.Storage.Postgres.Tests.OrleansProviders;

/// <summary>
/// One silo with several grain storages registered through <see cref="OrleansPostgres.AddPostgresGrainStorage"/>
/// over one fresh database: grouped as configured by default, plain (grouping off, Orleans' provider as it comes)
/// for comparison, and grouped with one group in flight, so that a test holding a row lock decides which writes
/// share a group. A last one, on a database of its own, is for a test that closes that database.
/// </summary>
public sealed class GroupedStorageFixture : IAsyncLifetime
{
    public const string Grouped = "grouped";
    public const string Plain = "plain";
    public const string Held = "grouped-held";
    public const string Closable = "grouped-closable";

    private const string ConnectionStringKey = "WmsTest:GroupedConnectionString";
    private const string ClosableConnectionStringKey = "WmsTest:ClosableConnectionString";

    public string ConnectionString { get; private set; } = "";

    public string ClosableConnectionString { get; private set; } = "";

    public string ServiceId { get; } = $"svc-{Guid.NewGuid():N}";

    public TestCluster Cluster { get; private set; } = null!;

    public IServiceProvider SiloServices => Cluster.GetSiloServiceProvider(Cluster.Silos[0].SiloAddress);

    public IGrainStorage Storage(string name) => SiloServices.GetRequiredKeyedService<IGrainStorage>(name);

    internal GroupedGrainStorage GroupedStorage(string name) => Assert.IsType<GroupedGrainStorage>(Storage(name));

    public async Task InitializeAsync()
    {
        ConnectionString = await OrleansTestDatabase.CreateMigratedAsync();
        ClosableConnectionString = await OrleansTestDatabase.CreateMigratedAsync();
        var builder = new TestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.Options.ServiceId = ServiceId;
        builder.Options.ClusterId = $"cluster-{Guid.NewGuid():N}";
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(
            new Dictionary<string, string?>
            {
                [ConnectionStringKey] = ConnectionString,
                [ClosableConnectionStringKey] = ClosableConnectionString,
            }));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var connectionString = siloBuilder.Configuration[ConnectionStringKey]!;
            siloBuilder
                .AddPostgresGrainStorage(Grouped, connectionString)
                .AddPostgresGrainStorage(Plain, connectionString)
                .AddPostgresGrainStorage(Held, connectionString)
                .AddPostgresGrainStorage(Closable, siloBuilder.Configuration[ClosableConnectionStringKey]!);
            siloBuilder.Services.Configure<GroupedGrainStorageOptions>(Plain, o => o.Enabled = false);
            siloBuilder.Services.Configure<GroupedGrainStorageOptions>(Held, o => o.MaxGroupsInFlight = 1);
            siloBuilder.Services.Configure<GroupedGrainStorageOptions>(Closable, o => o.MaxGroupsInFlight = 1);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class GroupedStorageCollection : ICollectionFixture<GroupedStorageFixture>
{
    public const string Name = "Grouped grain storage on PostgreSQL";
}
