using System.Text.Json.Nodes;
using Xunit;
using static Wms.Query.Tests.TestJson;

namespace Wms.Query.Tests;

public sealed class FilterEvaluatorTests
{
    [Fact]
    public void NumbersBuiltInCodeCompareWithParsedNumbers()
    {
        var doc = new JsonObject
        {
            ["i"] = 5,
            ["l"] = 1700000000123L,
            ["d"] = 0.1,
            ["m"] = 2.50m,
        };

        Assert.True(FilterEvaluator.Matches(Filter("""{"i": 5.0}"""), doc));
        Assert.True(FilterEvaluator.Matches(Filter("""{"l": 1700000000123}"""), doc));
        Assert.False(FilterEvaluator.Matches(Filter("""{"l": 1700000000124}"""), doc));
        Assert.True(FilterEvaluator.Matches(Filter("""{"d": 0.1}"""), doc));
        Assert.True(FilterEvaluator.Matches(Filter("""{"m": 2.5}"""), doc));
    }

    [Fact]
    public void LargeIntegersKeepTheirPrecision()
    {
        var doc = Obj("""{"ts": 9007199254740993}""");
        Assert.False(FilterEvaluator.Matches(Filter("""{"ts": 9007199254740992}"""), doc));
        Assert.True(FilterEvaluator.Matches(Filter("""{"ts": {"$gt": 9007199254740992}}"""), doc));
    }

    [Fact]
    public void NumbersBeyondDecimalRangeStillCompare()
    {
        var doc = Obj("""{"x": 1e300}""");
        Assert.True(FilterEvaluator.Matches(Filter("""{"x": {"$gt": 1e299}}"""), doc));
        Assert.True(FilterEvaluator.Matches(Filter("""{"x": {"$gt": 5}}"""), doc));
        Assert.True(FilterEvaluator.Matches(Filter("""{"x": 1E+300}"""), doc));
    }

    [Fact]
    public void StringsCompareByCodePoint()
    {
        // U+1F600 sorts after U+FFFD by code point although its UTF-16 form starts with 0xD83D.
        var doc = new JsonObject { ["s"] = "\U0001F600" };
        Assert.True(FilterEvaluator.Matches(Filter("""{"s": {"$gt": "\uFFFD"}}"""), doc));
        Assert.False(FilterEvaluator.Matches(Filter("""{"s": {"$lt": "\uFFFD"}}"""), doc));
    }

    [Fact]
    public void StringsWrappingClrValuesCompareAsTheirText()
    {
        var doc = new JsonObject { ["when"] = JsonValue.Create(new DateTime(2024, 5, 14, 0, 0, 0, DateTimeKind.Utc)) };
        Assert.True(FilterEvaluator.Matches(Filter("""{"when": {"$gte": "2024-05-14"}}"""), doc));
    }

    [Fact]
    public void EmbeddedDocumentsIgnoreKeyOrder()
    {
        var doc = Obj("""{"a": {"x": 1, "y": [1, {"p": true, "q": null}]}}""");
        Assert.True(FilterEvaluator.Matches(Filter("""{"a": {"y": [1.0, {"q": null, "p": true}], "x": 1}}"""), doc));
        Assert.False(FilterEvaluator.Matches(Filter("""{"a": {"y": [{"q": null, "p": true}, 1], "x": 1}}"""), doc));
    }

    [Fact]
    public void MissingAndNullDifferOnlyForExists()
    {
        var withNull = Obj("""{"f": null}""");
        var without = Obj("{}");
        foreach (var doc in new[] { withNull, without })
        {
            Assert.True(FilterEvaluator.Matches(Filter("""{"f": null}"""), doc));
            Assert.False(FilterEvaluator.Matches(Filter("""{"f": {"$ne": null}}"""), doc));
        }

        Assert.True(FilterEvaluator.Matches(Filter("""{"f": {"$exists": true}}"""), withNull));
        Assert.False(FilterEvaluator.Matches(Filter("""{"f": {"$exists": true}}"""), without));
    }

    [Fact]
    public void NullArgumentsAreRejected()
    {
        Assert.Throws<ArgumentNullException>(() => FilterEvaluator.Matches(null!, []));
        Assert.Throws<ArgumentNullException>(() => FilterEvaluator.Matches(MatchAllNode.Instance, null!));
    }
}
