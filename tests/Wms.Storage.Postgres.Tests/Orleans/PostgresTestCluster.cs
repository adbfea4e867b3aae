using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace Wms.Storage.Postgres.Tests.OrleansProviders;

/// <summary>
/// Test clusters on the real ADO.NET providers: membership, grain storage ("store", and "store-delete" with
/// DeleteStateOnClear) and reminders, all through <see cref="OrleansPostgres"/>. The external client finds the
/// gateways through ADO.NET clustering too. Liveness and reminder periods are shortened for tests.
/// </summary>
internal static class PostgresTestCluster
{
    public const string DeleteOnClearStorageName = "store-delete";

    private const string ConnectionStringKey = "WmsTest:OrleansConnectionString";

    public static async Task<TestCluster> StartAsync(string connectionString, short silos, string serviceId, string clusterId)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ConfigureFileLogging = false;
        builder.Options.ServiceId = serviceId;
        builder.Options.ClusterId = clusterId;
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { [ConnectionStringKey] = connectionString }));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var connectionString = siloBuilder.Configuration[ConnectionStringKey]!;
            siloBuilder
                .UsePostgresOrleans(connectionString, ProbeGrain.StorageName)
                .AddPostgresGrainStorage(DeleteOnClearStorageName, connectionString, o => o.DeleteStateOnClear = true);
            siloBuilder.Services.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            siloBuilder.Services.Configure<ClusterMembershipOptions>(o =>
            {
                // Declare a killed silo dead within seconds rather than minutes.
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
            });
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.UsePostgresClustering(configuration[ConnectionStringKey]!);
    }
}

/// <summary>One two-silo cluster on a fresh database, shared by the tests of <see cref="PostgresClusterCollection"/>.</summary>
public sealed class PostgresClusterFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public string ServiceId { get; } = $"svc-{Guid.NewGuid():N}";

    public string ClusterId { get; } = $"cluster-{Guid.NewGuid():N}";

    public TestCluster Cluster { get; private set; } = null!;

    /// <summary>The services of the primary silo (grain storage and the reminder table are resolved there).</summary>
    public IServiceProvider SiloServices => Cluster.GetSiloServiceProvider(Cluster.Silos[0].SiloAddress);

    public async Task InitializeAsync()
    {
        ConnectionString = await OrleansTestDatabase.CreateMigratedAsync();
        Cluster = await PostgresTestCluster.StartAsync(ConnectionString, 2, ServiceId, ClusterId);
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresClusterCollection : ICollectionFixture<PostgresClusterFixture>
{
    public const string Name = "Orleans on PostgreSQL";
}
