using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wms.Api.Tests.BadInput;

/// <summary>
/// Every request of <see cref="BadInputCorpus"/> against a real host: a 4xx (never 5xx), the contract's error body
/// whose text is also the reason phrase, and not the smallest change to any stored object.
/// </summary>
[Collection(SeededServerCollection.Name)]
public sealed class BadInputTests(SeededServer seeded)
{
    public static TheoryData<string> CaseNames()
    {
        var names = new TheoryData<string>();
        foreach (var name in BadInputCorpus.Cases.Keys)
        {
            names.Add(name);
        }
        return names;
    }

    [Fact]
    public void TheCorpusIsLargeAndCoversEveryReservedName()
    {
        Assert.True(BadInputCorpus.Cases.Count >= 60, $"only {BadInputCorpus.Cases.Count} cases");
        foreach (var name in BadInputCorpus.ReservedNames)
        {
            Assert.Contains(BadInputCorpus.Cases.Values, c => c.Error?.Contains($"'{name}'", StringComparison.Ordinal) == true);
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task IsRefusedWithTheContractsErrorAndChangesNothing(string name)
    {
        var bad = BadInputCorpus.Cases[name];
        var before = await seeded.SnapshotAsync();
        var workflowsBefore = await seeded.CountWorkflowsAsync();

        using var request = bad.ToRequest(seeded.Ids);
        using var response = await seeded.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode == bad.Status,
            $"expected {bad.Status}, got {(int)response.StatusCode} with body: {Clip(text)}");
        Assert.InRange((int)response.StatusCode, 400, 499);
        var error = AssertErrorBody(response, text);
        var expected = bad.Error is null ? null : BadCase.Resolve(bad.Error, seeded.Ids);
        switch (bad.Match)
        {
            case ErrorText.Exact:
                Assert.Equal(expected, error);
                break;
            case ErrorText.Prefix:
                Assert.StartsWith(expected!, error, StringComparison.Ordinal);
                break;
        }

        if (bad.CreatesWorkflow)
        {
            // Refused before any side effect: no workflow, hence no queue reservation made for one.
            Assert.Equal(workflowsBefore, await seeded.CountWorkflowsAsync());
        }
        Assert.Equal(before, await seeded.SnapshotAsync());
    }

    [Fact]
    public async Task AValidRequestStillWorksAfterTheWholeCorpus()
    {
        var before = await seeded.SnapshotAsync();
        foreach (var (name, bad) in BadInputCorpus.Cases)
        {
            using var request = bad.ToRequest(seeded.Ids);
            using var response = await seeded.Http.SendAsync(request);
            Assert.True((int)response.StatusCode == bad.Status, $"{name}: got {(int)response.StatusCode}");
        }
        Assert.Equal(before, await seeded.SnapshotAsync());

        var created = await seeded.CreateAsync(ValidWorkflow.Body(twoTasks: true));

        var workflow = await seeded.Http.GetAsync($"v0/workflows/{created.WorkflowId}");
        Assert.Equal(HttpStatusCode.OK, workflow.StatusCode);
        Assert.Equal(3, created.Taskforces.Count);
        // Let it settle, so the other cases keep seeing a still state.
        await seeded.WaitForPhasesAsync(created.Taskforces, "pending-starter");
        var poll = await seeded.Http.GetAsync("v0/tms/pending-starter/taskforces?collector=COLLECTOR2&schedd=SCHEDD2");
        Assert.Equal(HttpStatusCode.OK, poll.StatusCode);
        Assert.NotNull(JsonNode.Parse(await poll.Content.ReadAsStringAsync())!["taskforce_uuid"]);
    }

    /// <summary>Checks the body is exactly {"code", "error"} and its text is the reason phrase; returns the text.</summary>
    private static string AssertErrorBody(HttpResponseMessage response, string text)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"the error body is not JSON ({e.Message}): {Clip(text)}");
        }
        var body = Assert.IsType<JsonObject>(node);
        Assert.Equal(["code", "error"], body.Select(kv => kv.Key));
        Assert.Equal(JsonValueKind.Number, body["code"]!.GetValueKind());
        Assert.Equal((int)response.StatusCode, body["code"]!.GetValue<int>());
        Assert.Equal(JsonValueKind.String, body["error"]!.GetValueKind());
        var error = body["error"]!.GetValue<string>();
        Assert.False(string.IsNullOrWhiteSpace(error));

        var shown = new string(error.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
        var reason = response.ReasonPhrase ?? "";
        if (shown.Length <= 512)
        {
            Assert.Equal(shown, reason);
        }
        else
        {
            // A very long text is cut short on the status line.
            Assert.True(reason.Length >= 256, $"reason phrase too short: {reason}");
            Assert.StartsWith(reason, shown, StringComparison.Ordinal);
        }
        return error;
    }

    private static string Clip(string text) => text.Length <= 500 ? text : text[..500] + "…";
}
