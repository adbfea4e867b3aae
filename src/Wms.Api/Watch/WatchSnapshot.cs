using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wms.Api.Rendering;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Watch;
using Wms.Query;

namespace Wms.Api.Watch;

/// <summary>
/// A <c>snapshot</c> event's data, read from the index: the workflow and a summary of each of its taskforces, oldest
/// first. Read after the client joined its silo's watcher, it holds every change numbered before the client's
/// position, so the events that follow it miss nothing.
/// </summary>
public static class WatchSnapshot
{
    /// <summary>The snapshot's data; null when the workflow is not in the index.</summary>
    public static async Task<byte[]?> ReadAsync(
        IObjectIndex index, string workflowId, ApiGeneration generation, string cause, CancellationToken cancellationToken)
    {
        if (await index.GetJsonAsync(ObjectKind.Workflow, workflowId, cancellationToken) is not { } workflow)
        {
            return null;
        }
        var filter = FilterParser.Parse(new JsonObject { ["workflow_id"] = workflowId });
        var taskforces = new List<TaskforceSummary>();
        await foreach (var found in index.FindAsync(ObjectKind.Taskforce, filter, null, cancellationToken: cancellationToken))
        {
            taskforces.Add(TaskforceSummary.Snapshot(WireJson.ReadTaskforce(Utf8(found))));
        }
        taskforces.Sort((a, b) => a.TaskId != b.TaskId
            ? string.CompareOrdinal(a.TaskId, b.TaskId)
            : string.CompareOrdinal(a.TaskforceUuid, b.TaskforceUuid));
        return WatchJson.Snapshot(GenerationView.Render(generation, ObjectKind.Workflow, workflow), taskforces, cause);
    }

    private static ReadOnlySpan<byte> Utf8(JsonObject document)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            document.WriteTo(writer);
        }
        return buffer.WrittenSpan;
    }
}
