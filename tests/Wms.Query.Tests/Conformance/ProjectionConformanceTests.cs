using Xunit;

namespace Wms.Query.Tests.Conformance;

/// <summary>Runs projection-cases.json against <see cref="Projection"/>.</summary>
public sealed class ProjectionConformanceTests
{
    public static TheoryData<string> CaseNames => new(ProjectionCase.Names);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Case(string name)
    {
        var testCase = ProjectionCase.Get(name);
        if (testCase.ExpectError)
        {
            var error = Assert.Throws<FilterException>(() => Projection.Parse(testCase.Projection));
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
            return;
        }

        var projection = Projection.Parse(testCase.Projection);
        Assert.NotNull(projection);
        var doc = testCase.Doc;
        var before = doc.ToJsonString();

        var result = projection.Apply(doc);

        // Compare serialized text so that key order is checked too.
        Assert.Equal(testCase.Expect!.ToJsonString(), result.ToJsonString());
        Assert.Equal(before, doc.ToJsonString());
    }
}
