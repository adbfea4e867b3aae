using System.Text.Json.Nodes;
using Xunit;

namespace Wms.Query.Tests.Conformance;

/// <summary>
/// The engine-independent find conformance suite. Every engine (in-memory, PostgreSQL, ...)
/// derives from this class and implements <see cref="FindIdsAsync"/>; the case table in
/// find-cases.json is the specification all of them must meet.
/// </summary>
/// <remarks>
/// Each case gives documents (each with a string "id"), a filter, and either the ids that must
/// match or <c>"error": true</c> when the filter must be rejected with a
/// <see cref="FilterException"/> (its documents are then irrelevant). Results are compared in
/// document order whatever order the engine returns them in. Expected answers are MongoDB's,
/// except that embedded documents compare without regard to key order; behaviour that differs
/// between MongoDB releases (e.g. <c>{"a.b": null}</c> where <c>a</c> is an array without
/// objects) is deliberately left out. The file nests deeper than System.Text.Json's default
/// limit of 64, so <see cref="ConformanceData"/> reads it with a higher limit.
/// </remarks>
public abstract class FindConformanceTests
{
    public static TheoryData<string> CaseNames => new(FindCase.Names);

    /// <summary>
    /// Stores <paramref name="docs"/> (each has a string "id"), runs <paramref name="filter"/>
    /// against them and returns the "id" of every match, in any order. Must throw
    /// <see cref="FilterException"/> for filters the language rejects.
    /// </summary>
    protected abstract Task<IReadOnlyList<string>> FindIdsAsync(IReadOnlyList<JsonObject> docs, JsonObject filter);

    [Theory]
    [MemberData(nameof(CaseNames), MemberType = typeof(FindConformanceTests))]
    public async Task Case(string name)
    {
        var testCase = FindCase.Get(name);
        var docs = testCase.Docs;
        if (testCase.ExpectError)
        {
            var error = await Assert.ThrowsAsync<FilterException>(() => FindIdsAsync(docs, testCase.Filter));
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
            return;
        }

        var found = await FindIdsAsync(docs, testCase.Filter);

        // Engines need not keep insertion order; compare in document order instead.
        var position = docs.Select((doc, index) => (Id: doc["id"]!.GetValue<string>(), index))
            .ToDictionary(p => p.Id, p => p.index, StringComparer.Ordinal);
        Assert.All(found, id => Assert.True(position.ContainsKey(id), $"unknown id {id} returned"));
        Assert.Equal(found.Count, found.Distinct(StringComparer.Ordinal).Count());
        var inDocumentOrder = found.OrderBy(id => position[id]).ToArray();
        Assert.Equal(testCase.Expect, inDocumentOrder);
    }
}
