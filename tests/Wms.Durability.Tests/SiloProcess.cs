using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Wms.Testing;

namespace Wms.Durability.Tests;

/// <summary>
/// The service as a real process (dotnet Wms.Silo.dll), in PostgreSQL mode, so that a test can kill -9 it and
/// start it again on the same ports, or stop it as an orchestrator would (SIGTERM).
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _errors = new();
    private readonly Dictionary<string, string> _environment;
    private Process? _process;

    public SiloProcess(string connectionString, IReadOnlyDictionary<string, string>? extra = null)
    {
        RestPort = FreePort();
        _environment = new Dictionary<string, string>
        {
            ["WMS_STORAGE"] = "postgres",
            ["WMS_POSTGRES"] = connectionString,
            // PostgreSQL is production mode, which refuses to start without authentication unless told.
            ["WMS_AUTH_DISABLED"] = "true",
            ["REST_HOST"] = "127.0.0.1",
            ["REST_PORT"] = RestPort.ToString(CultureInfo.InvariantCulture),
            ["WMS_SILO_PORT"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["WMS_GATEWAY_PORT"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["WORKFLOW_MQ_ACTIVATOR_DELAY"] = "0.2",
            ["WORKFLOW_MQ_ACTIVATOR_MQS_RETRY_WAIT"] = "1",
            ["TASKFORCE_LAUNCH_CONTROL_DELAY"] = "0",
            ["WMS_LOOP_REMINDER_PERIOD"] = "2",
            ["WMS_CLUSTER_LOCATIONS"] =
                """{"test-alpha": {"collector": "COLLECTOR1", "schedd": "SCHEDD1"}, "test-beta": {"collector": "COLLECTOR2", "schedd": "SCHEDD2"}}""",
            ["WMS_PILOT_TAGS"] = "1.2.3",
            ["Logging__LogLevel__Default"] = "Warning",
            // A killed silo is declared dead in seconds rather than the production default.
            ["Orleans__ClusterMembership__ProbeTimeout"] = "00:00:01",
            ["Orleans__ClusterMembership__NumMissedProbesLimit"] = "2",
            ["Orleans__ClusterMembership__IAmAliveTablePublishTimeout"] = "00:00:02",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            _environment[key] = value;
        }
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{RestPort}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int RestPort { get; }

    public HttpClient Http { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>What the process wrote to its standard error alone.</summary>
    public string Errors
    {
        get
        {
            lock (_output)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>Starts the process and returns at once.</summary>
    public void Launch()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Wms.Silo.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) =>
        {
            Append(e.Data);
            lock (_output)
            {
                if (e.Data is not null)
                {
                    _errors.AppendLine(e.Data);
                }
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Waits for a launched process to exit by itself; its exit code, or null past the deadline.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await _process!.WaitForExitAsync(timeout.Token);
            // The asynchronous readers may still hold the last lines.
            _process.WaitForExit();
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Starts the process and waits until its API answers.</summary>
    public async Task StartAsync()
    {
        Launch();
        await WaitUntilServingAsync();
    }

    /// <summary>Waits until a launched process's API answers.</summary>
    public async Task WaitUntilServingAsync()
    {
        var process = _process ?? throw new InvalidOperationException("the silo was never launched");
        var up = await Poll.UntilAsync(async () =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the silo exited with {process.ExitCode}:\n{Output}");
            }
            try
            {
                return (await Http.GetAsync("v0/")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
        Assert.True(up, $"the silo did not answer within a minute:\n{Output}");
    }

    /// <summary>kill -TERM, as an orchestrator stops a container: the service stops gracefully, by itself.</summary>
    public async Task TerminateAsync()
    {
        var process = _process ?? throw new InvalidOperationException("the silo was never launched");
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>kill -9: no shutdown of any kind.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        Http.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
