using Xunit;
using static Wms.Query.Tests.TestJson;

namespace Wms.Query.Tests;

public sealed class ProjectionTests
{
    [Fact]
    public void NullMeansNoProjection()
    {
        Assert.Null(Projection.Parse(null));
    }

    [Fact]
    public void FieldsKeepTheGivenOrder()
    {
        var projection = Projection.Parse(Node("""["phase", "id", "pilot_config.tag"]"""))!;
        Assert.Equal(["phase", "id", "pilot_config.tag"], projection.Fields);
    }

    [Theory]
    [InlineData("\"phase\"", "projection must be an array of field names")]
    [InlineData("{\"phase\": 1}", "projection must be an array of field names")]
    [InlineData("[]", "projection must name at least one field")]
    [InlineData("[\"a\", \"a\"]", "projection names field 'a' more than once")]
    [InlineData("[\"\"]", "projection field names must not be empty")]
    [InlineData("[1]", "projection entries must be strings")]
    [InlineData("[null]", "projection entries must be strings")]
    [InlineData("[\"a..b\"]", "invalid projection: field path 'a..b' has an empty segment")]
    [InlineData("[\"$where\"]", "invalid projection: field path '$where' has a segment starting with '$'")]
    public void MalformedProjectionsExplainThemselves(string projection, string fragment)
    {
        var error = Assert.Throws<FilterException>(() => Projection.Parse(Node(projection)));
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyReturnsAnIndependentCopy()
    {
        var doc = Obj("""{"id": "tf-1", "pilot_config": {"tag": "v1", "env": {"A": 1}}}""");
        var result = Projection.Parse(Node("""["pilot_config"]"""))!.Apply(doc);

        result["pilot_config"]!["tag"] = "changed";
        Assert.Equal("v1", doc["pilot_config"]!["tag"]!.GetValue<string>());
        Assert.Null(result.Parent);
    }

    [Fact]
    public void ProjectionCanBeReused()
    {
        var projection = Projection.Parse(Node("""["worker_config.priority"]"""))!;
        var first = projection.Apply(Obj("""{"worker_config": {"priority": 1, "n_cores": 2}}"""));
        var second = projection.Apply(Obj("""{"worker_config": {"priority": 2}}"""));
        Assert.Equal("""{"worker_config":{"priority":1}}""", first.ToJsonString());
        Assert.Equal("""{"worker_config":{"priority":2}}""", second.ToJsonString());
    }
}
