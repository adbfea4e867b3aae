using System.Diagnostics;
using Wms.Api.Tests.Infrastructure;

namespace Wms.Api.Tests.Docs;

/// <summary>The README's curl walk-throughs, each run as written against a service on its embedded defaults.</summary>
public sealed class ReadmeWalkthroughTests
{
    [Fact]
    public async Task WalkthroughRunsToCondorComplete()
    {
        var output = await RunAsync("walkthrough");
        Assert.EndsWith("\"phase\":\"condor-complete\"", output.TrimEnd());
        Assert.Contains("\"n_taskforces\":1", output);
        Assert.Contains("\"is_activated\":", output);
    }

    [Fact]
    public async Task V1WalkthroughRunsToCondorComplete()
    {
        var output = await RunAsync("walkthrough-v1");
        Assert.EndsWith("\"phase\":\"condor-complete\"", output.TrimEnd());
        Assert.Contains("\"condor_requirements\":\"HAS_CVMFS_icecube_opensciencegrid_org\"", output);
        Assert.Contains("\"next_after\":", output);
        // The pending-starter answer: its three members, and a profile for each of the task's two queues.
        var lines = output.Split('\n');
        Assert.Contains("\"taskforce\":{", lines);
        Assert.Contains("\"task_directive\":{", lines);
        Assert.Contains("\"mqprofiles\":[", lines);
        Assert.Contains("\"alias\":\"input-queue\"", output);
        Assert.Contains("\"alias\":\"output-queue\"", output);
        Assert.Contains("\"n_taskforces\":1", output);
    }

    /// <summary>Runs the bash block between the README's markers of this name, and answers what it printed.</summary>
    private static async Task<string> RunAsync(string marker)
    {
        var readme = (await File.ReadAllTextAsync(RepositoryFiles.PathOf("README.md"))).ReplaceLineEndings("\n");
        var start = readme.IndexOf($"<!-- {marker}:begin -->", StringComparison.Ordinal);
        var end = readme.IndexOf($"<!-- {marker}:end -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"README.md lost its {marker} markers");
        var block = readme[start..end];
        var script = block[(block.IndexOf("```bash\n", StringComparison.Ordinal) + 8)..block.LastIndexOf("```", StringComparison.Ordinal)];

        // The README's defaults, not the test defaults: the pool sub-2 and the built-in pilot tag.
        await using var server = await WmsServer.StartAsync(s =>
        {
            s["WMS_CLUSTER_LOCATIONS"] = null;
            s["WMS_PILOT_TAGS"] = null;
            s["TASKFORCE_LAUNCH_CONTROL_DELAY"] = null;
            s["WORKFLOW_MQ_ACTIVATOR_DELAY"] = null;
        });
        var workDir = Directory.CreateTempSubdirectory("wms-walkthrough-");
        var bash = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", script])
        {
            WorkingDirectory = workDir.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        bash.Environment["WMS"] = server.BaseAddress.ToString().TrimEnd('/');
        using var process = Process.Start(bash)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(deadline.Token);
        var output = (await stdout).ReplaceLineEndings("\n");
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{output}\n{await stderr}");
        workDir.Delete(true);
        return output;
    }
}
