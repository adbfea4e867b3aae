namespace Wms.Storage.Postgres.Tests.OrleansProviders;

/// <summary>Two silos on ADO.NET clustering, and an external client finding them through the gateway query.</summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class ClusterMembershipTests(PostgresClusterFixture fixture)
{
    [Fact]
    public async Task Both_silos_are_active_in_the_table_and_the_client_sees_both()
    {
        var statuses = await OrleansTestDatabase.RowsAsync(
            fixture.ConnectionString,
            "SELECT status, proxy_port FROM orleans.membership_silo WHERE deployment_id = @c",
            ("c", fixture.ClusterId));
        Assert.Equal(2, statuses.Count);
        Assert.All(statuses, r => Assert.Equal((int)SiloStatus.Active, r[0]));
        Assert.All(statuses, r => Assert.True((int)r[1]! > 0));

        var hosts = await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);

        Assert.Equal(
            fixture.Cluster.Silos.Select(s => s.SiloAddress).Order(),
            hosts.Keys.Order());
    }
}
