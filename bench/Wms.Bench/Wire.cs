using System.Text.Json;

namespace Wms.Bench;

/// <summary>A workflow as created: its id and the uuids of its taskforces.</summary>
public sealed record CreatedWorkflow(string WorkflowId, IReadOnlyList<string> TaskforceUuids);

/// <summary>A taskforce offered by pending-starter or pending-stopper.</summary>
public sealed record OfferedTaskforce(string Uuid, string WorkflowId, int NWorkers, double? PendingStarterTs)
{
    /// <summary>The taskforce's <c>worker_config.condor_requirements</c>, as a /v1 answer gives it; null on /v0.</summary>
    public string? CondorRequirements { get; init; }
}

/// <summary>An answer that is not what the service promises (a /v1 pending-starter answer with a part missing, say).</summary>
public sealed class WireException(string message) : Exception(message);

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
        if (!root.TryGetProperty("taskforce_uuid", out _))
        {
            return root.ValueKind == JsonValueKind.Object && !root.EnumerateObject().Any()
                ? null
                : throw new FormatException("an offer that is neither a taskforce nor {}");
        }
        return ReadTaskforce(root);
    }

    /// <summary>
    /// The taskforce of a /v1 pending-starter answer, or null for <c>{}</c>. The answer is read as TMS v1.2.4 reads it
    /// before it submits: a <see cref="WireException"/> says what that TMS would have stopped on (a key missing, a
    /// wrong type), or that the answer is not whole: a queue of the task without its profile, a profile without a token.
    /// </summary>
    public static OfferedTaskforce? ParseStarterV1(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && !root.EnumerateObject().Any())
        {
            return null;
        }
        var taskforce = Need(root, "taskforce", JsonValueKind.Object, "");
        var directive = Need(root, "task_directive", JsonValueKind.Object, "");
        var profiles = Need(root, "mqprofiles", JsonValueKind.Array, "");

        Need(taskforce, "taskforce_uuid", JsonValueKind.String, "taskforce");
        Need(taskforce, "n_workers", JsonValueKind.Number, "taskforce");
        var pilot = Need(taskforce, "pilot_config", JsonValueKind.Object, "taskforce");
        Need(pilot, "environment", JsonValueKind.Object, "taskforce.pilot_config");
        Need(pilot, "input_files", JsonValueKind.Array, "taskforce.pilot_config");
        Need(pilot, "image_source", JsonValueKind.String, "taskforce.pilot_config");
        Need(pilot, "tag", null, "taskforce.pilot_config");
        var worker = Need(taskforce, "worker_config", JsonValueKind.Object, "taskforce");
        var requirements = Need(worker, "condor_requirements", JsonValueKind.String, "taskforce.worker_config").GetString();
        foreach (var key in WorkerKeys)
        {
            Need(worker, key, null, "taskforce.worker_config");
        }

        foreach (var key in DirectiveKeys)
        {
            Need(directive, key, null, "task_directive");
        }
        var queues = new HashSet<string>(StringComparer.Ordinal);
        foreach (var list in new[] { "input_queues", "output_queues" })
        {
            foreach (var queue in Need(directive, list, JsonValueKind.Array, "task_directive").EnumerateArray())
            {
                queues.Add(queue.GetString() ?? throw new WireException($"task_directive.{list} holds a non-string"));
            }
        }
        var i = 0;
        foreach (var profile in profiles.EnumerateArray())
        {
            var at = $"mqprofiles[{i++}]";
            var mqid = Need(profile, "mqid", JsonValueKind.String, at).GetString()!;
            if (Need(profile, "auth_token", null, at) is not { ValueKind: JsonValueKind.String } token || token.GetString() is "")
            {
                throw new WireException($"{at} ({mqid}) has no token");
            }
            Need(profile, "broker_type", null, at);
            Need(profile, "broker_address", null, at);
            if (!queues.Remove(mqid))
            {
                throw new WireException($"{at} is {mqid}, not a queue of the task, or a second profile of one");
            }
        }
        if (queues.Count > 0)
        {
            throw new WireException($"no profile of the task's queue{(queues.Count > 1 ? "s" : "")} {string.Join(", ", queues)}");
        }
        return ReadTaskforce(taskforce) with { CondorRequirements = requirements };
    }

    /// <summary>Whether <paramref name="body"/> is the empty object <c>{}</c>, as a poll answers when nothing waits.</summary>
    public static bool IsEmptyObject(byte[] body) => body.AsSpan().Trim(" \t\r\n"u8).SequenceEqual("{}"u8);

    private static readonly string[] WorkerKeys =
        ["n_cores", "worker_memory", "worker_disk", "priority", "max_worker_runtime", "do_transfer_worker_stdouterr"];

    private static readonly string[] DirectiveKeys = ["task_image", "task_args", "task_env", "init_image", "init_args", "init_env"];

    /// <summary>The value of <paramref name="key"/>, of <paramref name="kind"/> unless that is null; else a WireException.</summary>
    private static JsonElement Need(JsonElement parent, string key, JsonValueKind? kind, string where)
    {
        var path = where.Length == 0 ? key : $"{where}.{key}";
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(key, out var value))
        {
            throw new WireException($"{path} is missing");
        }
        return kind is null || value.ValueKind == kind
            ? value
            : throw new WireException($"{path} is {value.ValueKind}, not {kind}");
    }

    private static OfferedTaskforce ReadTaskforce(JsonElement root)
    {
        var uuid = root.GetProperty("taskforce_uuid");
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

    /// <summary>The <c>taskforce_uuid</c> of each taskforce a find answered (on /v1, of its first page).</summary>
    public static List<string> FoundTaskforceUuids(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("taskforces").EnumerateArray()
            .Select(t => t.GetProperty("taskforce_uuid").GetString()!)
            .ToList();
    }

    /// <summary>How many objects a find answered, under <paramref name="key"/>.</summary>
    public static int CountFound(byte[] body, string key)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty(key).GetArrayLength();
    }
}
