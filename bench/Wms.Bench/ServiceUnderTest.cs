using System.Globalization;
using Npgsql;

namespace Wms.Bench;

/// <summary>
/// The service being measured: either started here (a throwaway PostgreSQL, then <c>dotnet Wms.Silo.dll</c> in
/// PostgreSQL mode) or a running one named by <c>--target</c>.
/// </summary>
public sealed class ServiceUnderTest : IAsyncDisposable
{
    private readonly ChildProcess? _silo;
    private readonly string? _postgresDirectory;

    private ServiceUnderTest(Uri address, int? pid, string? connectionString, ChildProcess? silo, string? postgresDirectory)
    {
        Address = address;
        Pid = pid;
        ConnectionString = connectionString;
        _silo = silo;
        _postgresDirectory = postgresDirectory;
    }

    public Uri Address { get; }

    /// <summary>The host process, when known: its memory and CPU are sampled.</summary>
    public int? Pid { get; }

    /// <summary>The database (of the service in start mode); null when the insert ceiling cannot be measured.</summary>
    public string? ConnectionString { get; }

    public bool Started => _silo is not null;

    /// <summary>Why the service can no longer be measured (it exited), or null.</summary>
    public string? Failure() => _silo?.ExitReason();

    /// <summary>The settings this bench needs, whatever starts the service.</summary>
    public static Dictionary<string, string> BenchSettings(Pools pools) => new()
    {
        ["WMS_STORAGE"] = "postgres",
        ["WORKFLOW_MQ_ACTIVATOR_DELAY"] = "0",
        ["TASKFORCE_LAUNCH_CONTROL_DELAY"] = "0",
        ["WMS_AUTH_DISABLED"] = "true",
        ["WMS_CLUSTER_LOCATIONS"] = pools.ClusterLocationsJson(),
    };

    public static async Task<ServiceUnderTest> TargetAsync(BenchOptions options)
    {
        using var probe = new BenchHttp(options.Target!);
        await probe.WaitUntilUpAsync("v0/", TimeSpan.FromSeconds(10));
        return new ServiceUnderTest(options.Target!, options.HostPid, options.Postgres, null, null);
    }

    /// <summary>
    /// Starts the service in PostgreSQL mode on <paramref name="database"/> (the caller keeps it), or else on the
    /// database of --postgres or a throwaway server, with <paramref name="settings"/> over the bench's and
    /// --service-env's.
    /// </summary>
    public static async Task<ServiceUnderTest> StartAsync(
        BenchOptions options, Pools pools, Action<string> log, string? database = null,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        string? directory = null;
        var connectionString = database ?? options.Postgres;
        if (connectionString is null)
        {
            (directory, connectionString) = await StartPostgresAsync(log);
        }

        try
        {
            var (silo, address) = await StartSiloAsync(options, pools, connectionString, settings ?? new Dictionary<string, string>(), log);
            return new ServiceUnderTest(address, silo.Pid, connectionString, silo, directory);
        }
        catch
        {
            if (directory is not null)
            {
                await StopPostgresAsync(directory);
            }
            throw;
        }
    }

    /// <summary>A throwaway PostgreSQL (<c>scripts/postgres.sh</c>): its directory, to stop it, and its connection string.</summary>
    public static async Task<(string Directory, string ConnectionString)> StartPostgresAsync(Action<string> log)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"wms-bench-pg-{Guid.NewGuid():N}");
        log($"starting a throwaway PostgreSQL in {directory}");
        var output = await Scripts.RunAsync("postgres.sh", "start", directory);
        return (directory, output.Trim().Split('\n')[^1].Trim());
    }

    /// <summary>
    /// Starts <c>dotnet Wms.Silo.dll</c> on <paramref name="connectionString"/> with the bench's settings and
    /// <paramref name="extra"/> on top, and waits until it answers.
    /// </summary>
    public static async Task<(ChildProcess Silo, Uri Address)> StartSiloAsync(
        BenchOptions options, Pools pools, string connectionString, IReadOnlyDictionary<string, string> extra,
        Action<string> log)
    {
        var siloPath = options.SiloPath ?? Path.Combine(AppContext.BaseDirectory, "Wms.Silo.dll");
        if (!File.Exists(siloPath))
        {
            throw new InvalidOperationException($"{siloPath} not found; build the bench (it references src/Wms.Silo) or pass --silo");
        }
        var restPort = ChildProcess.FreePort();
        var environment = BenchSettings(pools);
        // The service opens three pools on this string (Orleans' storage, the index and its finds). With Npgsql's
        // default of 100 each, a burst can pass the throwaway server's max_connections of 200.
        environment["WMS_POSTGRES"] = options.ServicePoolSize > 0
            ? new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = options.ServicePoolSize }.ConnectionString
            : connectionString;
        environment["REST_HOST"] = "127.0.0.1";
        environment["REST_PORT"] = restPort.ToString(CultureInfo.InvariantCulture);
        environment["WMS_SILO_PORT"] = ChildProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        environment["WMS_GATEWAY_PORT"] = ChildProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        // Request logging would be measured too; the service's warnings and errors are kept for diagnosis.
        environment["Logging__LogLevel__Default"] = "Warning";
        if (options.ServiceHeapLimit > 0)
        {
            // On a large machine the GC sees no memory pressure and lets gen2 garbage pile up between its
            // background collections; in a container it keeps to the limit (Docs/performance.md, "Run it";
            // the finding is item 32 of Docs/performance-history.md).
            environment["DOTNET_GCHeapHardLimit"] = "0x" + options.ServiceHeapLimit.ToString("x", CultureInfo.InvariantCulture);
        }
        foreach (var (key, value) in options.ServiceEnvironment.Concat(extra))
        {
            environment[key] = value;
        }
        log($"starting {siloPath} on port {restPort}");
        var silo = ChildProcess.StartDotnet(siloPath, [], environment);
        try
        {
            var address = new Uri($"http://127.0.0.1:{restPort}/");
            using var probe = new BenchHttp(address);
            await probe.WaitUntilUpAsync("v0/", TimeSpan.FromSeconds(120), silo.ExitReason);
            return (silo, address);
        }
        catch
        {
            silo.Dispose();
            throw;
        }
    }

    /// <summary>The last lines the started service wrote.</summary>
    public string Tail() => _silo?.Tail() ?? "";

    public async ValueTask DisposeAsync()
    {
        _silo?.Dispose();
        if (_postgresDirectory is not null)
        {
            await StopPostgresAsync(_postgresDirectory);
        }
    }

    public static async Task StopPostgresAsync(string directory)
    {
        try
        {
            await Scripts.RunAsync("postgres.sh", "stop", directory);
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"warning: could not stop the throwaway PostgreSQL: {e.Message}");
        }
    }
}
