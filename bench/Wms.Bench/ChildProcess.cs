using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Wms.Bench;

/// <summary>
/// A process the bench started (the service or the trivial server): its output is kept for diagnosis and it is killed
/// when the bench ends, whatever way it ends.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private const int KeptLines = 200;
    private readonly Queue<string> _tail = new();
    private readonly Process _process;

    private ChildProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Runs <c>dotnet <paramref name="assembly"/></c> with exactly the settings given on top of a cleaned environment.</summary>
    public static ChildProcess StartDotnet(string assembly, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Settings inherited from the caller's shell must not change what is measured.
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (InheritedSettingPrefixes.Any(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                start.Environment.Remove(key);
            }
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        return new ChildProcess(Process.Start(start) ?? throw new InvalidOperationException($"could not start dotnet {assembly}"));
    }

    private static readonly string[] InheritedSettingPrefixes =
    [
        "WMS_", "MQS_", "REST_", "WORKFLOW_", "TASKFORCE_", "TMS_", "CVMFS_", "ConnectionStrings__", "Orleans__", "Logging__",
        "ASPNETCORE_URLS", "DOTNET_gcServer", "DOTNET_TieredCompilation", "DOTNET_TieredPGO", "DOTNET_TC_",
        // An OTLP endpoint in the caller's shell would turn the service's telemetry on.
        "OTEL_",
    ];

    /// <summary>The last lines the process wrote.</summary>
    public string Tail()
    {
        lock (_tail)
        {
            return string.Join('\n', _tail);
        }
    }

    /// <summary>Why the process is no use any more, or null while it runs.</summary>
    public string? ExitReason() =>
        _process.HasExited ? $"the process exited with {_process.ExitCode}; its last output:\n{Tail()}" : null;

    public void Stop()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
    }

    /// <summary>Whether the process <paramref name="pid"/> still runs: a child serves only while its parent does.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > KeptLines)
            {
                _tail.Dequeue();
            }
        }
    }
}

/// <summary>Runs a shell script of the repository and returns its standard output.</summary>
public static class Scripts
{
    public static string RepositoryRoot { get; } =
        typeof(Scripts).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;

    public static async Task<string> RunAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot, "scripts", script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"{script} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr}");
    }
}
