using System.Text.Json.Nodes;
using Wms.Testing;

namespace Wms.Api.Tests.Watch;

/// <summary>Reading the events stream in the lifecycle tests: what each event says, in one line.</summary>
public static class Watching
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public static string EventsPath(string workflowId, string generation = "v0") => $"{generation}/workflows/{workflowId}/events";

    /// <summary>"taskforce phase a>b", "taskforce status", "taskforce log", "workflow activated", "snapshot", ...</summary>
    public static string Describe(ServerSentEvent e)
    {
        var data = e.Json;
        return e.Name switch
        {
            "taskforce" when TextOrNull(data["change"]) == "phase" =>
                $"taskforce phase {TextOrNull(data["previous_phase"]) ?? "(new)"}>{TextOrNull(data["phase"])}",
            "taskforce" => $"taskforce {TextOrNull(data["change"])}",
            "workflow" => $"workflow {TextOrNull(data["change"])}",
            _ => e.Name,
        };
    }

    /// <summary>Whether the event is the taskforce's move to <paramref name="phase"/>.</summary>
    public static bool MovedTo(ServerSentEvent e, string phase) =>
        e.Name == "taskforce" && TextOrNull(e.Json["change"]) == "phase" && TextOrNull(e.Json["phase"]) == phase;

    public static bool IsWorkflowChange(ServerSentEvent e, string change) =>
        e.Name == "workflow" && TextOrNull(e.Json["change"]) == change;

    /// <summary>Opens the stream and reads its snapshot, which must come first.</summary>
    public static async Task<(EventStreamClient Stream, JsonObject Snapshot)> OpenWithSnapshotAsync(
        HttpClient http, string workflowId, string generation = "v0", string? lastEventId = null, bool explanations = false)
    {
        var stream = await EventStreamClient.OpenAsync(
            http, EventsPath(workflowId, generation), lastEventId, explanations: explanations);
        Assert.Equal(System.Net.HttpStatusCode.OK, stream.Status);
        Assert.Equal("text/event-stream", stream.ContentType);
        var first = await stream.NextAsync(Deadline);
        Assert.NotNull(first);
        Assert.Equal("snapshot", first.Name);
        Assert.Equal(2000, stream.Retry);
        return (stream, first.Json);
    }

    public static string? TextOrNull(JsonNode? node) => node?.GetValue<string>();
}
