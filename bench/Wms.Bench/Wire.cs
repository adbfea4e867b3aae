using System.Text.Json;

namespace Wms.Bench;

/// <summary>A workflow as created: its id and the uuids of its taskforces.</summary>
public sealed record CreatedWorkflow(string WorkflowId, IReadOnlyList<string> TaskforceUuids);

/// <summary>A taskforce offered by pending-starter or pending-stopper.</summary>
public sealed record OfferedTaskforce(string Uuid, string WorkflowId, int NWorkers, double? PendingStarterTs);

/// <summary>Reads the few fields the bench needs from the service's answers.</summary>
public static class Wire
{
    /// <summary>Wall-clock seconds since the epoch, as the service writes its timestamps.</summary>
    public static double Now() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;

    public static CreatedWorkflow ParseCreated(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var workflowId = root.GetProperty("workflow").GetProperty("workflow_id").GetString()!;
        var uuids = root.GetProperty("taskforces").EnumerateArray()
            .Select(t => t.GetProperty("taskforce_uuid").GetString()!)
            .ToList();
        return new CreatedWorkflow(workflowId, uuids);
    }

    /// <summary>The offered taskforce, or null for <c>{}</c>.</summary>
    public static OfferedTaskforce? ParseOffer(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (!root.TryGetProperty("taskforce_uuid", out var uuid))
        {
            return root.ValueKind == JsonValueKind.Object && !root.EnumerateObject().Any()
                ? null
                : throw new FormatException("an offer that is neither a taskforce nor {}");
        }
        var nWorkers = root.TryGetProperty("n_workers", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt32() : 1;
        double? pendingStarterTs = null;
        if (root.TryGetProperty("phase_change_log", out var log))
        {
            foreach (var entry in log.EnumerateArray())
            {
                if (entry.GetProperty("target_phase").GetString() == "pending-starter" &&
                    entry.GetProperty("was_successful").GetBoolean())
                {
                    pendingStarterTs = entry.GetProperty("timestamp").GetDouble();
                }
            }
        }
        return new OfferedTaskforce(uuid.GetString()!, root.GetProperty("workflow_id").GetString()!, nWorkers, pendingStarterTs);
    }

    /// <summary>The phase field of a taskforce document.</summary>
    public static string? Phase(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty("phase", out var phase) ? phase.GetString() : null;
    }

    /// <summary>How many objects a find answered, under <paramref name="key"/>.</summary>
    public static int CountFound(byte[] body, string key)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty(key).GetArrayLength();
    }
}
