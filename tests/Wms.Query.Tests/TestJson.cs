using System.Text.Json.Nodes;

namespace Wms.Query.Tests;

internal static class TestJson
{
    public static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    public static JsonNode? Node(string json) => JsonNode.Parse(json);

    public static FilterNode Filter(string json) => FilterParser.Parse(Obj(json));

    public static string Error(string filterJson) =>
        Xunit.Assert.Throws<FilterException>(() => FilterParser.Parse(Obj(filterJson))).Message;
}
