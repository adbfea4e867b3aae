using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Wms.Query.Tests.Conformance;

/// <summary>Guards the shape of the case tables themselves, independent of any engine.</summary>
public sealed class ConformanceFileTests
{
    [Fact]
    public void FindCasesAreWellFormed()
    {
        var cases = ConformanceData.Load(FindCase.FileName);
        Assert.True(cases.Count >= 140, $"only {cases.Count} find cases");
        Assert.True(cases.Count(c => c!["error"] is not null) >= 25, "fewer than 25 rejected-filter cases");

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in cases)
        {
            var obj = item!.AsObject();
            var name = obj["name"]!.GetValue<string>();
            Assert.True(names.Add(name), $"duplicate case name {name}");
            Assert.IsType<JsonObject>(obj["filter"]);

            var ids = obj["docs"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()).ToList();
            Assert.True(ids.Count > 0, $"{name}: no documents");
            Assert.True(ids.Distinct(StringComparer.Ordinal).Count() == ids.Count, $"{name}: duplicate ids");

            var isError = obj["error"] is not null;
            Assert.True(isError != (obj["expect"] is not null), $"{name}: needs exactly one of expect / error");
            if (isError)
            {
                Assert.Equal(JsonValueKind.True, obj["error"]!.GetValueKind());
                continue;
            }

            var expect = obj["expect"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
            Assert.Equal(ids.Where(expect.Contains), expect);
            Assert.Equal(expect.Count, expect.Distinct(StringComparer.Ordinal).Count());
        }
    }

    [Fact]
    public void ProjectionCasesAreWellFormed()
    {
        var cases = ConformanceData.Load(ProjectionCase.FileName);
        Assert.True(cases.Count >= 15, $"only {cases.Count} projection cases");

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in cases)
        {
            var obj = item!.AsObject();
            var name = obj["name"]!.GetValue<string>();
            Assert.True(names.Add(name), $"duplicate case name {name}");
            Assert.IsType<JsonObject>(obj["doc"]);
            Assert.True(obj.ContainsKey("projection"), $"{name}: no projection");
            Assert.True((obj["error"] is not null) != (obj["expect"] is not null), $"{name}: needs exactly one of expect / error");
        }
    }
}
