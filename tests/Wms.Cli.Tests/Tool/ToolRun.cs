using System.Text.Json.Nodes;

namespace Wms.Cli.Tests.Tool;

/// <summary>What one run of the tool left: its exit status and everything it wrote.</summary>
public sealed record ToolRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Standard output as the JSON object <c>--json</c> promises; a run that printed anything else fails here.</summary>
    public JsonObject Json()
    {
        Assert.True(ExitCode == 0, $"exit {ExitCode}: {Stderr}");
        return JsonNode.Parse(Stdout) as JsonObject ?? throw new Xunit.Sdk.XunitException($"not a JSON object: {Stdout}");
    }

    /// <summary>The single line written to standard error, which every failure writes.</summary>
    public string ErrorLine()
    {
        var lines = Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got {lines.Length}: {Stderr}");
        Assert.StartsWith("wms: ", lines[0]);
        return lines[0];
    }

    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}
