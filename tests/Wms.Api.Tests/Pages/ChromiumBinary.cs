using System.Diagnostics;
using Wms.Api.Tests.Infrastructure;

namespace Wms.Api.Tests.Pages;

/// <summary>
/// Where the Chromium of the browser tests is: on PATH, or else what <c>scripts/chromium.sh</c> installs, so that
/// <c>dotnet test</c> passes on a fresh machine as it does in CI (where <c>.ci/run</c> runs the script first).
/// </summary>
public static class ChromiumBinary
{
    private static readonly Lazy<Task<string>> Found = new(FindAsync);

    public static Task<string> PathAsync() => Found.Value;

    private static async Task<string> FindAsync()
    {
        foreach (var name in new[] { "chromium", "chromium-browser" })
        {
            var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
                .Select(d => Path.Combine(d, name))
                .FirstOrDefault(File.Exists);
            if (onPath is not null)
            {
                return onPath;
            }
        }
        return await InstallAsync();
    }

    /// <summary>Runs the script, which installs Debian's chromium when it is missing and prints the binary's path.</summary>
    private static async Task<string> InstallAsync()
    {
        var script = RepositoryFiles.PathOf("scripts", "chromium.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException($"could not run {script}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        // apt-get update and install take a minute or two on a fresh machine.
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(limit.Token);
        var path = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault();
        if (process.ExitCode != 0 || path is null || !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"{script} found no chromium (exit {process.ExitCode}): {await errors}");
        }
        return path;
    }
}
