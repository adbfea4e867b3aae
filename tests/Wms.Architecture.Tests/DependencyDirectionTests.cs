namespace Wms.Architecture.Tests;

/// <summary>
/// Dependencies point one way: hosting → API → behaviour → contracts → domain, and storage → contracts. A project
/// may reference only what its row allows; anything new under <c>src/</c> needs a row before it builds green.
/// </summary>
public sealed class DependencyDirectionTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Wms.Query"] = [],
        ["Wms.Domain"] = ["Wms.Query"],
        ["Wms.GrainInterfaces"] = ["Wms.Domain"],
        ["Wms.Grains"] = ["Wms.GrainInterfaces"],
        ["Wms.Storage.Memory"] = ["Wms.Domain"],
        ["Wms.Storage.Postgres"] = ["Wms.Domain", "Wms.GrainInterfaces"],
        ["Wms.Requests"] = ["Wms.Domain"],
        ["Wms.Api"] = ["Wms.GrainInterfaces", "Wms.Query", "Wms.Requests"],
        ["Wms.Silo"] = ["Wms.Api", "Wms.Grains", "Wms.Storage.Memory", "Wms.Storage.Postgres"],
        ["Wms.Cli"] = ["Wms.Requests", "Wms.Domain", "Wms.Query"],
    };

    private static readonly ProjectGraph Graph = ProjectGraph.Load();

    public static TheoryData<string> Projects => [.. Graph.References.Keys.Order()];

    [Fact]
    public void EveryProjectUnderSrcHasARule() =>
        Assert.Empty(Graph.References.Keys.Except(Allowed.Keys));

    [Theory]
    [MemberData(nameof(Projects))]
    public void ReferencesOnlyWhatItsLayerAllows(string project)
    {
        var extra = Graph.References[project].Except(Allowed.GetValueOrDefault(project) ?? []).ToList();
        Assert.True(extra.Count == 0, $"{project} references {string.Join(", ", extra)}, which its layer may not");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void NoProjectReachesItself(string project) =>
        Assert.DoesNotContain(project, Graph.Reachable(project));

    [Theory]
    [InlineData("Wms.Domain", "Wms.GrainInterfaces")]
    [InlineData("Wms.Domain", "Wms.Grains")]
    [InlineData("Wms.GrainInterfaces", "Wms.Grains")]
    [InlineData("Wms.Grains", "Wms.Api")]
    [InlineData("Wms.Grains", "Wms.Storage.Postgres")]
    [InlineData("Wms.Grains", "Wms.Storage.Memory")]
    [InlineData("Wms.Storage.Postgres", "Wms.Grains")]
    [InlineData("Wms.Storage.Memory", "Wms.Grains")]
    [InlineData("Wms.Api", "Wms.Grains")]
    [InlineData("Wms.Api", "Wms.Storage.Postgres")]
    [InlineData("Wms.Requests", "Wms.GrainInterfaces")]
    [InlineData("Wms.Requests", "Wms.Api")]
    [InlineData("Wms.Cli", "Wms.Api")]
    [InlineData("Wms.Cli", "Wms.Grains")]
    [InlineData("Wms.Cli", "Wms.Silo")]
    [InlineData("Wms.Cli", "Wms.GrainInterfaces")]
    public void InnerLayersNeverReachOuterOnes(string inner, string outer) =>
        Assert.DoesNotContain(outer, Graph.Reachable(inner));
}
