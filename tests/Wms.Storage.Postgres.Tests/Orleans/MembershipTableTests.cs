using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime.Membership;
using Orleans.Runtime.MembershipService;

namespace Wms.Storage.Postgres.Tests.OrleansProviders;

/// <summary>
/// The 10.4.2 ADO.NET membership table, called directly (as Orleans' own membership table tests do). The database's
/// default time zone is America/New_York and these connections do not force UTC, to show that no time shifts.
/// </summary>
public sealed class MembershipTableTests : IAsyncLifetime
{
    private static int _nextPort = 21000;
    private string _connectionString = "";

    public async Task InitializeAsync() => _connectionString = await CreateDatabaseAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_new_cluster_reads_empty_at_version_zero_and_initialising_twice_is_harmless()
    {
        var table = await CreateTableAsync();
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true, default);

        var data = await table.ReadAllAsync(default);

        Assert.Empty(data.Members);
        Assert.Equal(0, data.Version.Version);
        Assert.Equal("0", data.Version.VersionEtag);
        Assert.Equal("America/New_York", await OrleansTestDatabase.ScalarAsync(_connectionString, "SHOW TimeZone"));
    }

    [Fact]
    public async Task Insert_succeeds_once_with_the_current_version_and_stale_or_duplicate_inserts_change_nothing()
    {
        var table = await CreateTableAsync();
        var entry = NewEntry(SiloStatus.Joining);
        var initial = (await table.ReadAllAsync(default)).Version;

        Assert.True(await table.InsertRowAsync(entry, initial.Next(), default));
        var afterInsert = (await table.ReadAllAsync(default)).Version;
        Assert.Equal((1, "1"), (afterInsert.Version, afterInsert.VersionEtag));

        Assert.False(await table.InsertRowAsync(entry, initial.Next(), default));             // same silo, stale version
        Assert.False(await table.InsertRowAsync(NewEntry(SiloStatus.Joining), initial.Next(), default)); // other silo, stale version
        Assert.False(await table.InsertRowAsync(entry, afterInsert.Next(), default));         // duplicate silo, fresh version
        Assert.Equal(1, (await table.ReadAllAsync(default)).Version.Version);

        var row = await table.ReadRowAsync(entry.SiloAddress, default);
        var (read, rowEtag) = Assert.Single(row.Members);
        Assert.Equal(entry.ToFullString(), read.ToFullString());
        Assert.Equal(row.Version.VersionEtag, rowEtag);

        var unknown = await table.ReadRowAsync(NewEntry(SiloStatus.Joining).SiloAddress, default);
        Assert.Empty(unknown.Members);
        Assert.Equal(1, unknown.Version.Version);
    }

    [Fact]
    public async Task Update_needs_the_current_version_and_round_trips_status_suspicions_and_times()
    {
        var table = await CreateTableAsync();
        var entry = NewEntry(SiloStatus.Joining);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(default)).Version.Next(), default));
        var (read, etag) = (await table.ReadRowAsync(entry.SiloAddress, default)).Members.Single();
        var version = (await table.ReadAllAsync(default)).Version;

        // Another writer moves the version on: the update built on the old read must fail.
        Assert.True(await table.InsertRowAsync(NewEntry(SiloStatus.Joining), version.Next(), default));
        read.Status = SiloStatus.Active;
        Assert.False(await table.UpdateRowAsync(read, etag, version.Next(), default));

        var current = await table.ReadRowAsync(entry.SiloAddress, default);
        (read, etag) = current.Members.Single();
        read.Status = SiloStatus.Dead;
        read.AddSuspector(NewEntry(SiloStatus.Active).SiloAddress, Millis(DateTime.UtcNow));
        read.AddSuspector(NewEntry(SiloStatus.Active).SiloAddress, Millis(DateTime.UtcNow.AddSeconds(1)));
        read.IAmAliveTime = Millis(DateTime.UtcNow.AddMinutes(1));
        Assert.True(await table.UpdateRowAsync(read, etag, current.Version.Next(), default));

        var after = await table.ReadRowAsync(entry.SiloAddress, default);
        Assert.Equal(read.ToFullString(), after.Members.Single().Item1.ToFullString());
        Assert.Equal(current.Version.Version + 1, after.Version.Version);

        // A missing silo with the current version: false, and the version does not move.
        var missing = NewEntry(SiloStatus.Active);
        Assert.False(await table.UpdateRowAsync(missing, after.Version.VersionEtag, after.Version.Next(), default));
        Assert.Equal(after.Version.Version, (await table.ReadAllAsync(default)).Version.Version);
    }

    [Fact]
    public async Task The_heartbeat_moves_the_time_forward_only_and_never_the_version()
    {
        var table = await CreateTableAsync();
        var entry = NewEntry(SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(default)).Version.Next(), default));
        var version = (await table.ReadAllAsync(default)).Version.Version;

        var later = Millis(entry.IAmAliveTime.AddMinutes(5));
        entry.IAmAliveTime = later;
        await table.UpdateIAmAliveAsync(entry, default);
        entry.IAmAliveTime = later.AddMinutes(-10);
        await table.UpdateIAmAliveAsync(entry, default);

        var data = await table.ReadRowAsync(entry.SiloAddress, default);
        Assert.Equal(later, data.Members.Single().Item1.IAmAliveTime);
        Assert.Equal(DateTimeKind.Utc, data.Members.Single().Item1.IAmAliveTime.Kind);
        Assert.Equal(version, data.Version.Version);
    }

    [Fact]
    public async Task Gateways_are_the_active_silos_with_a_proxy_port()
    {
        var clusterId = NewClusterId();
        var table = await CreateTableAsync(clusterId);
        var active = NewEntry(SiloStatus.Active);
        var noGateway = NewEntry(SiloStatus.Active);
        noGateway.ProxyPort = 0;
        var joining = NewEntry(SiloStatus.Joining);
        foreach (var entry in new[] { active, noGateway, joining })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(default)).Version.Next(), default));
        }

        var provider = new AdoNetGatewayListProvider(
            NullLogger<AdoNetGatewayListProvider>.Instance,
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new AdoNetClusteringClientOptions { Invariant = "Npgsql", ConnectionString = _connectionString }),
            Options.Create(new GatewayOptions()),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "svc" }));
        await provider.InitializeGatewayListProviderAsync(default);
        var gateways = await provider.GetGatewaysAsync(default);

        var gateway = Assert.Single(gateways);
        Assert.Equal(
            $"gwy.tcp://127.0.0.1:{active.ProxyPort}/{active.SiloAddress.Generation}", gateway.ToString());
    }

    [Fact]
    public async Task Of_twenty_parallel_inserts_of_one_silo_exactly_one_wins()
    {
        var table = await CreateTableAsync();
        var entry = NewEntry(SiloStatus.Joining);
        var version = (await table.ReadAllAsync(default)).Version;

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => table.InsertRowAsync(entry, version.Next(), default))));

        Assert.Single(results, r => r);
        Assert.Equal(1, (await table.ReadAllAsync(default)).Version.Version);
    }

    [Fact]
    public async Task Contended_read_update_retry_loops_advance_the_version_once_each()
    {
        var table = await CreateTableAsync();
        var entry = NewEntry(SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(default)).Version.Next(), default));
        var before = (await table.ReadAllAsync(default)).Version.Version;
        const int writers = 10;

        await Task.WhenAll(Enumerable.Range(0, writers).Select(i => Task.Run(async () =>
        {
            while (true)
            {
                var data = await table.ReadRowAsync(entry.SiloAddress, default);
                var (read, etag) = data.Members.Single();
                read.AddSuspector(NewEntry(SiloStatus.Active).SiloAddress, Millis(DateTime.UtcNow));
                if (await table.UpdateRowAsync(read, etag, data.Version.Next(), default))
                {
                    return;
                }
            }
        })));

        Assert.Equal(before + writers, (await table.ReadAllAsync(default)).Version.Version);
        Assert.Equal(writers, (await table.ReadRowAsync(entry.SiloAddress, default)).Members.Single().Item1.SuspectTimes!.Count);
    }

    [Fact]
    public async Task Per_row_cleanup_deletes_only_old_dead_silos_without_recent_votes()
    {
        var table = await CreateTableAsync();
        var old = DateTime.UtcNow.AddDays(-10);
        var cutoff = DateTimeOffset.UtcNow.AddDays(-7);
        var byStatus = await InsertOneOldRowPerStatusAsync(table, old);
        var deadOldVote = await InsertAsync(table, NewEntry(SiloStatus.Dead, old), suspectedAt: old.AddHours(1));
        var deadRecentVote = await InsertAsync(table, NewEntry(SiloStatus.Dead, old), suspectedAt: DateTime.UtcNow.AddDays(-1));
        var freshDead = await InsertAsync(table, NewEntry(SiloStatus.Dead));
        var version = (await table.ReadAllAsync(default)).Version.Version;

        await table.CleanupDefunctSiloEntriesAsync(cutoff, default);

        var remaining = (await table.ReadAllAsync(default)).Members.Select(m => m.Item1.SiloAddress).ToHashSet();
        Assert.DoesNotContain(byStatus[SiloStatus.Dead], remaining);
        Assert.DoesNotContain(deadOldVote, remaining);
        Assert.Contains(deadRecentVote, remaining);
        Assert.Contains(freshDead, remaining);
        Assert.All(byStatus.Where(p => p.Key != SiloStatus.Dead), p => Assert.Contains(p.Value, remaining));
        Assert.Equal(version, (await table.ReadAllAsync(default)).Version.Version);
    }

    [Fact]
    public async Task Bulk_cleanup_without_the_per_row_key_deletes_only_old_dead_silos()
    {
        // A database without the optional CleanupDefunctSiloEntryKey, so Orleans runs CleanupDefunctSiloEntriesKey.
        var connectionString = await CreateDatabaseAsync();
        await OrleansTestDatabase.ExecuteAsync(
            connectionString, "DELETE FROM orleans.orleansquery WHERE querykey = 'CleanupDefunctSiloEntryKey'");
        var table = await CreateTableAsync(connectionString: connectionString);
        var old = DateTime.UtcNow.AddDays(-10);
        var byStatus = await InsertOneOldRowPerStatusAsync(table, old);
        var freshDead = await InsertAsync(table, NewEntry(SiloStatus.Dead));
        var version = (await table.ReadAllAsync(default)).Version.Version;

        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddDays(-7), default);

        var remaining = (await table.ReadAllAsync(default)).Members.Select(m => m.Item1.SiloAddress).ToHashSet();
        Assert.DoesNotContain(byStatus[SiloStatus.Dead], remaining);
        Assert.Contains(freshDead, remaining);
        Assert.All(byStatus.Where(p => p.Key != SiloStatus.Dead), p => Assert.Contains(p.Value, remaining));
        Assert.Equal(version, (await table.ReadAllAsync(default)).Version.Version);
    }

    [Fact]
    public async Task Deleting_the_entries_removes_the_version_row_too()
    {
        var clusterId = NewClusterId();
        var table = await CreateTableAsync(clusterId);
        var other = await CreateTableAsync();
        Assert.True(await table.InsertRowAsync(NewEntry(SiloStatus.Active), (await table.ReadAllAsync(default)).Version.Next(), default));
        Assert.True(await other.InsertRowAsync(NewEntry(SiloStatus.Active), (await other.ReadAllAsync(default)).Version.Next(), default));

        await table.DeleteMembershipTableEntriesAsync(clusterId, default);

        // No version row: the read has no row at all, which Orleans cannot interpret.
        await Assert.ThrowsAnyAsync<Exception>(() => table.ReadAllAsync(default));
        Assert.Single((await other.ReadAllAsync(default)).Members);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true, default);
        Assert.Empty((await table.ReadAllAsync(default)).Members);
    }

    [Fact]
    public async Task A_missing_query_key_fails_initialisation_and_names_the_key()
    {
        var connectionString = await CreateDatabaseAsync();
        await OrleansTestDatabase.ExecuteAsync(
            connectionString,
            "DELETE FROM orleans.orleansquery WHERE querykey IN ('GatewaysQueryKey', 'CleanupDefunctSiloEntriesKey')");
        var table = CreateTable(NewClusterId(), connectionString);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => table.InitializeMembershipTableAsync(true, default));

        Assert.Contains("Missing are:", error.Message);
        Assert.Contains("GatewaysQueryKey", error.Message);
        Assert.Contains("CleanupDefunctSiloEntriesKey", error.Message);
    }

    /// <summary>A migrated database whose default time zone is not UTC; returns a provider connection string
    /// with only the search path set (no Timezone=UTC).</summary>
    private static async Task<string> CreateDatabaseAsync()
    {
        var connectionString = await OrleansTestDatabase.CreateMigratedAsync();
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await OrleansTestDatabase.ExecuteAsync(
            connectionString, $"ALTER DATABASE \"{database}\" SET timezone TO 'America/New_York'");
        return new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = OrleansPostgres.Schema }.ConnectionString;
    }

    private async Task<AdoNetClusteringTable> CreateTableAsync(string? clusterId = null, string? connectionString = null)
    {
        var table = CreateTable(clusterId ?? NewClusterId(), connectionString ?? _connectionString);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true, default);
        return table;
    }

    private static AdoNetClusteringTable CreateTable(string clusterId, string connectionString) => new(
        new ServiceCollection().BuildServiceProvider(),
        Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "svc" }),
        Options.Create(new AdoNetClusteringSiloOptions { Invariant = "Npgsql", ConnectionString = connectionString }),
        NullLogger<AdoNetClusteringTable>.Instance);

    private static string NewClusterId() => $"cluster-{Guid.NewGuid():N}";

    private static async Task<Dictionary<SiloStatus, SiloAddress>> InsertOneOldRowPerStatusAsync(AdoNetClusteringTable table, DateTime old)
    {
        var byStatus = new Dictionary<SiloStatus, SiloAddress>();
        foreach (var status in new[]
        {
            SiloStatus.Created, SiloStatus.Joining, SiloStatus.Active, SiloStatus.ShuttingDown, SiloStatus.Stopping, SiloStatus.Dead,
        })
        {
            byStatus[status] = await InsertAsync(table, NewEntry(status, old));
        }
        return byStatus;
    }

    private static async Task<SiloAddress> InsertAsync(AdoNetClusteringTable table, MembershipEntry entry, DateTime? suspectedAt = null)
    {
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(default)).Version.Next(), default));
        if (suspectedAt is { } at)
        {
            var data = await table.ReadRowAsync(entry.SiloAddress, default);
            var (read, etag) = data.Members.Single();
            read.AddSuspector(NewEntry(SiloStatus.Active).SiloAddress, Millis(at));
            read.IAmAliveTime = entry.IAmAliveTime;
            Assert.True(await table.UpdateRowAsync(read, etag, data.Version.Next(), default));
        }
        return entry.SiloAddress;
    }

    private static MembershipEntry NewEntry(SiloStatus status, DateTime? time = null)
    {
        var port = Interlocked.Increment(ref _nextPort);
        var at = Millis(time ?? DateTime.UtcNow);
        return new MembershipEntry
        {
            SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), Random.Shared.Next(1, int.MaxValue)),
            Status = status,
            ProxyPort = port + 1000,
            HostName = "test-host",
            SiloName = $"silo-{port}",
            RoleName = "",
            StartTime = at,
            IAmAliveTime = at,
        };
    }

    /// <summary>Times at millisecond precision, so entries compare equal after a round trip.</summary>
    private static DateTime Millis(DateTime time) =>
        new(time.Ticks - time.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
}
