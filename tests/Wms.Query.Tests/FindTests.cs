using System.Text.Json.Nodes;
using Xunit;
using static Wms.Query.Tests.TestJson;

namespace Wms.Query.Tests;

public sealed class FindTests
{
    [Fact]
    public void RunFiltersAndProjectsInOrder()
    {
        JsonObject[] docs =
        [
            Obj("""{"id": "a", "phase": "x", "n": 1}"""),
            Obj("""{"id": "b", "phase": "y", "n": 2}"""),
            Obj("""{"id": "c", "phase": "x", "n": 3}"""),
        ];

        var results = Find.Run(docs, Filter("""{"phase": "x"}"""), Projection.Parse(Node("""["n"]"""))).ToList();

        Assert.Equal(["""{"n":1}""", """{"n":3}"""], results.Select(r => r.ToJsonString()));
    }

    [Fact]
    public void WithoutProjectionTheOriginalDocumentsAreReturned()
    {
        var doc = Obj("""{"id": "a"}""");
        Assert.Same(doc, Assert.Single(Find.Run([doc], MatchAllNode.Instance, projection: null)));
    }

    [Fact]
    public void RunIsLazy()
    {
        var pulled = 0;
        IEnumerable<JsonObject> Source()
        {
            for (var i = 0; ; i++)
            {
                pulled++;
                yield return new JsonObject { ["id"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            }
        }

        var first = Find.Run(Source(), MatchAllNode.Instance, projection: null).Take(2).ToList();

        Assert.Equal(2, first.Count);
        Assert.Equal(2, pulled);
    }

    [Fact]
    public void ArgumentsAreCheckedAtTheCall()
    {
        Assert.Throws<ArgumentNullException>(() => Find.Run(null!, MatchAllNode.Instance, null));
        Assert.Throws<ArgumentNullException>(() => Find.Run([], null!, null));
    }
}
