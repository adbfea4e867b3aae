using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService;
using Xunit.Abstractions;

namespace Wms.Storage.Postgres.Tests.OrleansProviders;

/// <summary>
/// Whole-cluster scenarios on their own database: state and reminders surviving a full stop, reminders firing and
/// unregistering, graceful stop and a crashed silo as the membership table records them. One test, because each step
/// builds on the cluster the previous one left.
/// </summary>
public sealed class ClusterLifecycleTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [Fact]
    public async Task State_and_reminders_survive_a_full_restart_and_a_crashed_silo_is_declared_dead()
    {
        var connectionString = await OrleansTestDatabase.CreateMigratedAsync();
        var serviceId = $"svc-{Guid.NewGuid():N}";
        var clusterId = $"cluster-{Guid.NewGuid():N}";
        var key = $"WF-{Guid.NewGuid():N}";
        var ticks = $"{key}/tick";

        Log("database ready");

        // 1. A reminder registered on a two-silo cluster fires.
        var first = await PostgresTestCluster.StartAsync(connectionString, 2, serviceId, clusterId);
        Log("first cluster up");
        var grain = first.Client.GetGrain<IProbeGrain>(key);
        await grain.SetValue(42);
        await grain.StartReminder("tick", TimeSpan.FromSeconds(1));
        await OrleansTestDatabase.WaitUntilAsync(() => Task.FromResult(ReminderTicks.Count(ticks) >= 2), Patience, "two reminder ticks");
        Assert.Equal(1L, await CountRemindersAsync(connectionString, serviceId));
        Log("ticked");

        // 2. A graceful stop of every silo leaves their rows Dead.
        var firstSilos = first.Silos.Select(s => s.SiloAddress).ToList();
        await first.StopAllSilosAsync();
        await first.DisposeAsync();
        Log("first stopped");
        foreach (var silo in firstSilos)
        {
            Assert.Equal((int)SiloStatus.Dead, (await SiloRowAsync(connectionString, clusterId, silo))?.Status);
        }

        // 3. A fresh cluster under the same ids: the state is there and the reminder fires again.
        var second = await PostgresTestCluster.StartAsync(connectionString, 1, serviceId, clusterId);
        Log("second cluster up");
        try
        {
            var ticksBefore = ReminderTicks.Count(ticks);
            grain = second.Client.GetGrain<IProbeGrain>(key);
            Assert.Equal(42, await grain.GetValue());
            await OrleansTestDatabase.WaitUntilAsync(
                () => Task.FromResult(ReminderTicks.Count(ticks) > ticksBefore), Patience, "a reminder tick after the restart");
            Log("ticked again");

            // 4. Unregistering removes the row, and the ticks stop. A witness reminder of the same period shows the
            // reminder service went on ticking: after its first tick no tick of the stopped one can be on its way,
            // and by its third the stopped one would have ticked again.
            await grain.StopReminder("tick");
            Assert.Equal(0L, await CountRemindersAsync(connectionString, serviceId));
            var witness = $"{key}/witness";
            await grain.StartReminder("witness", TimeSpan.FromSeconds(1));
            await OrleansTestDatabase.WaitUntilAsync(() => Task.FromResult(ReminderTicks.Count(witness) >= 1), Patience, "a witness tick");
            var ticksAfterStop = ReminderTicks.Count(ticks);
            await OrleansTestDatabase.WaitUntilAsync(() => Task.FromResult(ReminderTicks.Count(witness) >= 3), Patience, "three witness ticks");
            Assert.Equal(ticksAfterStop, ReminderTicks.Count(ticks));
            await grain.StopReminder("witness");

            // 5. A crashed silo is voted Dead by the survivor. (An in-process kill still lets a silo write its own
            // death, so the crash is staged as what a SIGKILL leaves: an Active row with nothing at its address.)
            var table = new AdoNetClusteringTable(
                new ServiceCollection().BuildServiceProvider(),
                Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = serviceId }),
                Options.Create(new AdoNetClusteringSiloOptions
                {
                    Invariant = OrleansPostgres.Invariant,
                    ConnectionString = OrleansPostgres.ProviderConnectionString(connectionString),
                }),
                NullLogger<AdoNetClusteringTable>.Instance);
            await table.InitializeMembershipTableAsync(tryInitTableVersion: false, default);
            var now = DateTime.UtcNow;
            var crashed = new MembershipEntry
            {
                SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, UnusedPort()), 1),
                Status = SiloStatus.Active,
                HostName = "crashed-host",
                SiloName = "crashed",
                RoleName = "",
                StartTime = now,
                IAmAliveTime = now,
            };
            Assert.True(await table.InsertRowAsync(crashed, (await table.ReadAllAsync(default)).Version.Next(), default));

            var survivor = second.Silos[0].SiloAddress;
            SiloRow? row = null;
            await OrleansTestDatabase.WaitUntilAsync(
                async () => (row = await SiloRowAsync(connectionString, clusterId, crashed.SiloAddress))?.Status == (int)SiloStatus.Dead,
                Patience,
                "the crashed silo to be declared dead");
            Log("declared dead");
            Assert.StartsWith($"{survivor.Endpoint}@{survivor.Generation},", row!.SuspectTimes);
        }
        finally
        {
            await second.StopAllSilosAsync();
            await second.DisposeAsync();
            Log("second stopped");
        }
    }

    private static int UnusedPort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    /// <summary>Step timings in the test output, for keeping the suite fast.</summary>
    private void Log(string step) => output.WriteLine($"{_clock.Elapsed.TotalSeconds:F1} s: {step}");

    private sealed record SiloRow(int Status, string? SuspectTimes);

    private static async Task<SiloRow?> SiloRowAsync(string connectionString, string clusterId, SiloAddress silo)
    {
        var rows = await OrleansTestDatabase.RowsAsync(
            connectionString,
            """
            SELECT status, suspect_times FROM orleans.membership_silo
            WHERE deployment_id = @c AND address = @a AND port = @p AND generation = @g
            """,
            ("c", clusterId), ("a", silo.Endpoint.Address.ToString()), ("p", silo.Endpoint.Port), ("g", silo.Generation));
        return rows.Select(r => new SiloRow((int)r[0]!, (string?)r[1])).SingleOrDefault();
    }

    private static async Task<long> CountRemindersAsync(string connectionString, string serviceId) =>
        (long)(await OrleansTestDatabase.ScalarAsync(
            connectionString, "SELECT count(*) FROM orleans.reminder WHERE service_id = @s", ("s", serviceId)))!;
}
