using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace Wms.Cli.Tests.Tool;

/// <summary>
/// The <c>wms</c> tool as users get it: packed from this repository with <c>dotnet pack</c> and installed with
/// <c>dotnet tool install</c> into a temporary tool path, once per test run, from a package source holding only that
/// pack. Tests run its executable as a process.
/// </summary>
public sealed class PackedTool
{
    private static readonly Lazy<Task<PackedTool>> Installed = new(InstallAsync);
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan InstallLimit = TimeSpan.FromMinutes(5);

    private PackedTool(string executable) => Executable = executable;

    public string Executable { get; }

    public static Task<PackedTool> SharedAsync() => Installed.Value;

    /// <summary>
    /// Runs <c>wms</c> with <paramref name="args"/>. Its environment is this process's without any <c>WMS_</c>
    /// variable, plus <paramref name="environment"/>; <paramref name="stdin"/>, when given, is its standard input.
    /// </summary>
    public async Task<ToolRun> RunAsync(
        IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? stdin = null)
    {
        var (exit, stdout, stderr) = await RunProcessAsync(StartInfo(args, environment), stdin, RunLimit);
        return new ToolRun(exit, stdout, stderr);
    }

    /// <summary>Starts <c>wms</c> as <see cref="RunAsync"/> would, for a test that reads its output as it comes.</summary>
    public RunningTool Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        new(Process.Start(StartInfo(args, environment)) ?? throw new InvalidOperationException($"{Executable} did not start"));

    private ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("WMS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["DOTNET_ROOT"] = DotnetRoot();
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        return start;
    }

    private static async Task<PackedTool> InstallAsync()
    {
        var work = Directory.CreateTempSubdirectory("wms-cli-tool-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(work);
        var packages = Path.Combine(work, "packages");
        var tools = Path.Combine(work, "tools");
        var project = Path.Combine(RepositoryRoot(), "src", "Wms.Cli", "Wms.Cli.csproj");
        // The tool was built with this test project (it references it); packing needs no second build.
        await DotnetAsync(work, "pack", project, "--no-build", "-c", BuildConfiguration(), "-o", packages);
        // Only the pack is a source: nothing is looked up elsewhere, and no other package can stand in for it.
        var config = Path.Combine(work, "nuget.config");
        await File.WriteAllTextAsync(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="pack" value="{packages}" />
              </packageSources>
            </configuration>
            """);
        await DotnetAsync(work, "tool", "install", "Wms.Cli", "--tool-path", tools, "--configfile", config);
        var executable = Path.Combine(tools, OperatingSystem.IsWindows() ? "wms.exe" : "wms");
        Assert.True(File.Exists(executable), $"dotnet tool install left no {executable}");
        return new PackedTool(executable);
    }

    private static async Task DotnetAsync(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        // A nested build must not join the outer one's build nodes or inherit its MSBuild settings.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var (exit, stdout, stderr) = await RunProcessAsync(start, null, InstallLimit);
        Assert.True(exit == 0, $"dotnet {string.Join(' ', args)} failed ({exit}):\n{stdout}\n{stderr}");
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunProcessAsync(
        ProcessStartInfo start, string? stdin, TimeSpan limit)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} ran longer than {limit}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Where the running .NET lives, for the tool's launcher to find the same runtime.</summary>
    private static string DotnetRoot() =>
        Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    private static string RepositoryRoot() => Metadata("RepositoryRoot");

    private static string BuildConfiguration() => Metadata("BuildConfiguration");

    private static string Metadata(string key) => typeof(PackedTool).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == key).Value!;

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the system's temporary-file cleanup.
        }
    }
}
