using System.Text.Json.Nodes;
using Xunit;
using static Wms.Query.Tests.TestJson;

namespace Wms.Query.Tests;

public sealed class FilterParserTests
{
    [Fact]
    public void NullAndEmptyFiltersMatchEverything()
    {
        Assert.Same(MatchAllNode.Instance, FilterParser.Parse(null));
        Assert.Same(MatchAllNode.Instance, FilterParser.Parse([]));
    }

    [Theory]
    [InlineData("""{"$where": "this.a == 1"}""", "$where")]
    [InlineData("""{"$expr": {"$eq": ["$a", 1]}}""", "$expr")]
    [InlineData("""{"$text": {"$search": "x"}}""", "$text")]
    [InlineData("""{"$jsonSchema": {}}""", "$jsonSchema")]
    [InlineData("""{"$comment": "x"}""", "$comment")]
    [InlineData("""{"a": {"$regex": "^x"}}""", "$regex")]
    [InlineData("""{"a": {"$options": "i"}}""", "$options")]
    [InlineData("""{"a": {"$elemMatch": {"b": 1}}}""", "$elemMatch")]
    [InlineData("""{"a": {"$size": 1}}""", "$size")]
    [InlineData("""{"a": {"$all": [1]}}""", "$all")]
    [InlineData("""{"a": {"$type": "string"}}""", "$type")]
    [InlineData("""{"a": {"$mod": [2, 0]}}""", "$mod")]
    [InlineData("""{"a": {"$foo": 1}}""", "$foo")]
    [InlineData("""{"$or": [{"a": 1}, {"b": {"$not": {"$where": "x"}}}]}""", "$where")]
    public void UnsupportedOperatorsAreNamed(string filter, string op)
    {
        Assert.Equal("unsupported query operator: " + op, Error(filter));
    }

    [Theory]
    [InlineData("""{"$not": {"a": 1}}""", "$not")]
    [InlineData("""{"$gt": 1}""", "$gt")]
    [InlineData("""{"a": {"$and": [{"$gt": 1}]}}""", "$and")]
    [InlineData("""{"a": {"b": {"$gt": 1}}}""", "$gt")]
    [InlineData("""{"a": {"$in": [{"$ne": 1}]}}""", "$ne")]
    [InlineData("""{"a": {"$in": 1}}""", "$in")]
    [InlineData("""{"a": {"$nin": "x"}}""", "$nin")]
    [InlineData("""{"a": {"$exists": 1}}""", "$exists")]
    [InlineData("""{"a": {"$not": 5}}""", "$not")]
    [InlineData("""{"$and": []}""", "$and")]
    [InlineData("""{"$or": {"a": 1}}""", "$or")]
    [InlineData("""{"$nor": [1]}""", "$nor")]
    public void MisusedOperatorsAreNamed(string filter, string op)
    {
        Assert.Contains(op, Error(filter), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"": 1}""", "field name must not be empty")]
    [InlineData("""{"a..b": 1}""", "field path 'a..b' has an empty segment")]
    [InlineData("""{".a": 1}""", "field path '.a' has an empty segment")]
    [InlineData("""{"a.": 1}""", "field path 'a.' has an empty segment")]
    [InlineData("""{"a.$b": 1}""", "segment starting with '$'")]
    [InlineData("""{"a": {"$gt": 1, "b": 2}}""", "mixes operators ($gt) with plain keys (b)")]
    [InlineData("""{"a": {"$exists": "yes"}}""", "$exists for field 'a' must be true or false")]
    [InlineData("""{"a": {"$in": null}}""", "$in for field 'a' needs an array")]
    [InlineData("""{"a": {"$not": {}}}""", "$not for field 'a' needs a non-empty object of operators")]
    [InlineData("""{"a": "x\u0000y"}""", "contains a NUL character")]
    public void MalformedFiltersExplainThemselves(string filter, string fragment)
    {
        Assert.Contains(fragment, Error(filter), StringComparison.Ordinal);
    }

    [Fact]
    public void ControlCharactersInNamesAreEscapedInMessages()
    {
        var message = Error("""{"a\u0000b": 1}""");
        Assert.Contains("a\\u0000b", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\0', message);
    }

    [Fact]
    public void LongNamesAreShortenedInMessages()
    {
        var op = "$" + new string('x', 5000);
        var message = Assert.Throws<FilterException>(
            () => FilterParser.Parse(new JsonObject { ["a"] = new JsonObject { [op] = 1 } })).Message;
        Assert.True(message.Length < 200, message);
    }

    [Fact]
    public void NestingUpToTheLimitIsAllowed()
    {
        Assert.IsType<NotNode>(FilterParser.Parse(NestedNot(FilterParser.MaxNestingDepth)));
        Assert.Contains("nested too deeply", Assert.Throws<FilterException>(
            () => FilterParser.Parse(NestedNot(FilterParser.MaxNestingDepth + 1))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeeplyNestedLogicalOperatorsAreRejected()
    {
        JsonObject filter = new() { ["a"] = 1 };
        for (var i = 0; i < 500; i++)
        {
            filter = new JsonObject { [i % 2 == 0 ? "$and" : "$or"] = new JsonArray(filter) };
        }

        Assert.Contains("nested too deeply", Assert.Throws<FilterException>(() => FilterParser.Parse(filter)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooManyNodesAreRejected()
    {
        var allowed = new JsonArray(Enumerable.Range(0, FilterParser.MaxNodeCount - 1).Select(i => (JsonNode)new JsonObject { ["a"] = i }).ToArray());
        Assert.IsType<OrNode>(FilterParser.Parse(new JsonObject { ["$or"] = allowed }));

        var tooMany = new JsonArray(Enumerable.Range(0, FilterParser.MaxNodeCount).Select(i => (JsonNode)new JsonObject { ["a"] = i }).ToArray());
        Assert.Contains("too large", Assert.Throws<FilterException>(() => FilterParser.Parse(new JsonObject { ["$or"] = tooMany })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BigInListsDoNotCountAsNodes()
    {
        var items = new JsonArray(Enumerable.Range(0, 10_000).Select(i => (JsonNode)i).ToArray());
        var node = Assert.IsType<ConditionNode>(FilterParser.Parse(new JsonObject { ["a"] = new JsonObject { ["$in"] = items } }));
        Assert.Equal(10_000, node.Items.Count);
    }

    [Fact]
    public void PlainValueBecomesEqualityCondition()
    {
        var node = Assert.IsType<ConditionNode>(Filter("""{"worker_config.priority": 10}"""));
        Assert.Equal(["worker_config", "priority"], node.Path.Segments);
        Assert.Equal("worker_config.priority", node.Path.Dotted);
        Assert.Equal(FilterOperator.Eq, node.Operator);
        Assert.Equal(10, node.Operand!.GetValue<int>());
    }

    [Fact]
    public void NullOperandIsCSharpNull()
    {
        var node = Assert.IsType<ConditionNode>(Filter("""{"condor_complete_ts": {"$ne": null}}"""));
        Assert.Equal(FilterOperator.Ne, node.Operator);
        Assert.Null(node.Operand);
    }

    [Fact]
    public void EmbeddedDocumentIsALiteral()
    {
        var node = Assert.IsType<ConditionNode>(Filter("""{"a": {"b": 1, "c": [2]}}"""));
        Assert.Equal(FilterOperator.Eq, node.Operator);
        Assert.True(JsonNode.DeepEquals(Node("""{"b": 1, "c": [2]}"""), node.Operand));
    }

    [Fact]
    public void SeveralKeysBecomeAnAndInKeyOrder()
    {
        var and = Assert.IsType<AndNode>(Filter("""{"a": 1, "b": {"$gt": 2, "$lte": 5}, "$or": [{"c": 1}, {"d": 2}]}"""));
        Assert.Equal(3, and.Children.Count);
        Assert.IsType<ConditionNode>(and.Children[0]);
        var range = Assert.IsType<AndNode>(and.Children[1]);
        Assert.Equal([FilterOperator.Gt, FilterOperator.Lte], range.Children.Cast<ConditionNode>().Select(c => c.Operator));
        Assert.Equal(2, Assert.IsType<OrNode>(and.Children[2]).Children.Count);
    }

    [Fact]
    public void NotWrapsTheFieldConditions()
    {
        var not = Assert.IsType<NotNode>(Filter("""{"n": {"$not": {"$gt": 1, "$lt": 5}}}"""));
        var inner = Assert.IsType<AndNode>(not.Operand);
        Assert.All(inner.Children, c => Assert.Equal("n", Assert.IsType<ConditionNode>(c).Path.Dotted));
    }

    [Fact]
    public void NorAndExistsAreRepresented()
    {
        var nor = Assert.IsType<NorNode>(Filter("""{"$nor": [{"a": {"$exists": false}}]}"""));
        var exists = Assert.IsType<ConditionNode>(Assert.Single(nor.Children));
        Assert.Equal(FilterOperator.Exists, exists.Operator);
        Assert.False(exists.Operand!.GetValue<bool>());
    }

    [Fact]
    public void OperandsAreCopiedFromTheInput()
    {
        var input = Obj("""{"a": {"$in": [1, 2]}}""");
        var node = Assert.IsType<ConditionNode>(FilterParser.Parse(input));
        input["a"]!["$in"]!.AsArray().Add(3);
        Assert.Equal(2, node.Items.Count);
    }

    [Fact]
    public void ParsingTheSameFilterTwiceGivesEqualTrees()
    {
        const string json = """{"a": 1, "$or": [{"b": {"$not": {"$in": [1, null]}}}, {"c.d": {"$exists": true}}]}""";
        Assert.Equal(Filter(json), Filter(json));
        Assert.NotEqual(Filter(json), Filter("""{"a": 2}"""));
    }

    [Fact]
    public void ConditionNodeRejectsMisshapenOperands()
    {
        var path = FieldPath.Parse("a");
        Assert.Throws<ArgumentException>(() => new ConditionNode(path, FilterOperator.In, JsonValue.Create(1)));
        Assert.Throws<ArgumentException>(() => new ConditionNode(path, FilterOperator.Exists, null));
    }

    private static JsonObject NestedNot(int levels)
    {
        JsonObject condition = new() { ["$eq"] = 1 };
        for (var i = 0; i < levels; i++)
        {
            condition = new JsonObject { ["$not"] = condition };
        }

        return new JsonObject { ["a"] = condition };
    }
}
