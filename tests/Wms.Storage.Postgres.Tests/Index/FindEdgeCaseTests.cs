using System.Text.Json.Nodes;
using Wms.Query;

namespace Wms.Storage.Postgres.Tests.Index;

/// <summary>Operands PostgreSQL's numeric cannot hold, and code point order against UTF-16 order.</summary>
public sealed class FindEdgeCaseTests(IndexDatabase database) : IClassFixture<IndexDatabase>
{
    private static readonly string[] Numbers =
        ["0", "1", "-1", "1.5", "1.7976931348623157E+308", "-1.7976931348623157E+308", "123456789012345678"];

    [Theory]
    [InlineData("""{"x": {"$gt": 1e400}}""")]
    [InlineData("""{"x": {"$lt": 1e999999}}""")]
    [InlineData("""{"x": {"$gte": -1e999999}}""")]
    [InlineData("""{"x": {"$lte": -1e400}}""")]
    [InlineData("""{"x": {"$in": [1e999999, 1, -1e999999]}}""")]
    [InlineData("""{"x": {"$ne": 1e131073}}""")]
    [InlineData("""{"x": {"$nin": [{"a": [1e999999]}, [-1e999999], 1]}}""")]
    [InlineData("""{"x": {"a": 1e999999}}""")]
    public async Task HugeOperandsOrderLikeTheEvaluator(string filterJson)
    {
        var (expected, actual) = await RunAsync(filterJson);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task TinyOperandsAreNotAnError()
    {
        // Exact: 1e-999999 is above 0 and below every other stored number. (The evaluator, rounding through
        // System.Decimal, would call it 0; WMS documents hold no such number.)
        var (_, actual) = await RunAsync("""{"x": {"$gt": 1e-999999}}""");
        Assert.Equal(["n1", "n3", "n4", "n6"], actual);
        (_, actual) = await RunAsync("""{"x": {"$lt": -1e-999999}}""");
        Assert.Equal(["n2", "n5"], actual);
    }

    [Fact]
    public async Task StringsOrderByCodePointNotByUtf16()
    {
        // U+E000 sorts before U+1F600 by code point, after it by UTF-16 code unit (0xD83D...).
        var docs = new[] { "\uE000", "\U0001F600", "\uFFFF", "z" }
            .Select((s, i) => new JsonObject { ["id"] = $"s{i}", ["x"] = s }).ToList();
        var space = await database.LoadAsync(docs);
        var filter = FilterParser.Parse(new JsonObject { ["x"] = new JsonObject { ["$gt"] = "\uE000" } });
        var expected = docs.Where(d => FilterEvaluator.Matches(filter, d)).Select(d => d["id"]!.GetValue<string>()).Order();
        Assert.Equal(["s1", "s2"], expected);
        Assert.Equal(expected, (await database.MatchAsync(space, filter)).Order());
    }

    private async Task<(List<string> Expected, List<string> Actual)> RunAsync(string filterJson)
    {
        var docs = Numbers.Select((n, i) => new JsonObject { ["id"] = $"n{i}", ["x"] = JsonNode.Parse(n) })
            .Append(new JsonObject { ["id"] = "missing" }).ToList();
        var space = await database.LoadAsync(docs);
        var filter = FilterParser.Parse(JsonNode.Parse(filterJson)!.AsObject());
        var expected = docs.Where(d => FilterEvaluator.Matches(filter, d)).Select(d => d["id"]!.GetValue<string>()).Order().ToList();
        return (expected, (await database.MatchAsync(space, filter)).Order().ToList());
    }
}
