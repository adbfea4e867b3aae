using System.Buffers;
using System.Text.Json;
using Wms.Api.Rendering;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Watch;

namespace Wms.Api.Watch;

/// <summary>
/// The data of the stream's events, one line of JSON each. Taskforce summaries read the same in both generations
/// (their log entry as <c>/v0</c> shows it); a workflow is shown as the stream's generation shows it.
/// </summary>
public static class WatchJson
{
    /// <summary>A <c>taskforce</c> event's data.</summary>
    public static byte[] Taskforce(TaskforceSummary summary) => Write(w => WriteSummary(w, summary));

    /// <summary>A <c>workflow</c> event's data: <c>{workflow, change, timestamp}</c>.</summary>
    public static byte[] Workflow(WatchEvent change, ApiGeneration generation) => Write(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("workflow");
        w.WriteRawValue(GenerationView.Render(generation, change.Workflow!), skipInputValidation: true);
        w.WriteString("change", change.WorkflowChange);
        w.WriteNumber("timestamp", change.Timestamp);
        w.WriteEndObject();
    });

    /// <summary>A <c>snapshot</c> event's data: <c>{workflow, taskforces, resumed: false, cause}</c>.</summary>
    public static byte[] Snapshot(byte[] renderedWorkflow, IEnumerable<TaskforceSummary> taskforces, string cause) => Write(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("workflow");
        w.WriteRawValue(renderedWorkflow, skipInputValidation: true);
        w.WriteStartArray("taskforces");
        foreach (var summary in taskforces)
        {
            WriteSummary(w, summary);
        }
        w.WriteEndArray();
        w.WriteBoolean("resumed", false);
        w.WriteString("cause", cause);
        w.WriteEndObject();
    });

    private static void WriteSummary(Utf8JsonWriter w, TaskforceSummary s)
    {
        w.WriteStartObject();
        w.WriteString("taskforce_uuid", s.TaskforceUuid);
        w.WriteString("task_id", s.TaskId);
        w.WriteString("workflow_id", s.WorkflowId);
        w.WriteString("schedd", s.Schedd);
        w.WriteString("collector", s.Collector);
        w.WriteString("phase", s.Phase);
        w.WriteString("previous_phase", s.PreviousPhase);
        w.WriteString("change", s.Change);
        WriteNumberOrNull(w, "cluster_id", s.ClusterId);
        WriteNumberOrNull(w, "n_workers", s.NWorkers);
        w.WriteStartObject("compound_statuses");
        foreach (var (status, counts) in s.CompoundStatuses)
        {
            WriteCounts(w, status, counts);
        }
        w.WriteEndObject();
        WriteCounts(w, "top_task_errors", s.TopTaskErrors);
        w.WritePropertyName("last_log");
        if (s.LastLog is { } log)
        {
            WriteLogEntry(w, log);
        }
        else
        {
            w.WriteNullValue();
        }
        w.WriteNumber("timestamp", s.Timestamp);
        w.WriteEndObject();
    }

    /// <summary>A phase change log entry with <c>/v0</c>'s members, as a taskforce on <c>/v0</c> shows it.</summary>
    private static void WriteLogEntry(Utf8JsonWriter w, PhaseChangeLogEntry entry)
    {
        w.WriteStartObject();
        w.WriteString("target_phase", entry.TargetPhase);
        w.WriteNumber("timestamp", entry.Timestamp);
        w.WriteBoolean("was_successful", entry.WasSuccessful);
        w.WritePropertyName("source_event_time");
        if (entry.SourceEventTime is { } time)
        {
            w.WriteNumberValue(time);
        }
        else
        {
            w.WriteNullValue();
        }
        w.WriteString("source_entity", entry.SourceEntity);
        w.WriteString("description", entry.Description);
        w.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter w, string name, Dictionary<string, long> counts)
    {
        w.WriteStartObject(name);
        foreach (var (key, count) in counts)
        {
            w.WriteNumber(key, count);
        }
        w.WriteEndObject();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } number)
        {
            w.WriteNumber(name, number);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = WireJson.Options.Encoder }))
        {
            write(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }
}
