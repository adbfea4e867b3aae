using System.Text.Json;
using System.Text.Json.Nodes;
using Wms.Domain.Commands;
using Wms.Domain.Model;
using Wms.Requests;
using static Wms.Requests.JsonShape;

namespace Wms.Api.Requests;

/// <summary>Reads the bodies the TMS sends.</summary>
public static class TmsRequests
{
    private static readonly string[] SubmitKeys = ["cluster_id", "n_workers", "submit_dict", "job_event_log_fpath"];
    private static readonly string[] StatusKeys = ["top_task_errors_by_taskforce", "compound_statuses_by_taskforce"];

    public static CondorSubmission Submission(JsonObject body)
    {
        OnlyKeys(body, "", SubmitKeys);
        var submitDict = new Dictionary<string, ConfigValue>();
        foreach (var (key, value) in JsonShape.Object(Required(body, "submit_dict", ""), "submit_dict"))
        {
            submitDict[key] = value switch
            {
                JsonValue v when v.GetValueKind() == JsonValueKind.String => ConfigValue.Of(v.GetValue<string>()),
                JsonValue v when v.GetValueKind() == JsonValueKind.Number => ConfigValue.Of(Integer(v, $"submit_dict.{key}")),
                _ => throw Bad($"submit_dict.{key}", "must be a string or an integer"),
            };
        }
        return new CondorSubmission(
            Integer(Required(body, "cluster_id", ""), "cluster_id"),
            NullableInteger(Required(body, "n_workers", ""), "n_workers"),
            submitDict,
            String(Required(body, "job_event_log_fpath", ""), "job_event_log_fpath"));
    }

    /// <summary>The TMS of this era leaves <c>error</c> out of some reports; that reads as an empty message.</summary>
    public static string Failure(JsonObject body)
    {
        OnlyKeys(body, "", ["error"]);
        return body.TryGetPropertyValue("error", out var error) ? String(error, "error") : "";
    }

    public static void Empty(JsonObject body) => OnlyKeys(body, "", []);

    public static long CondorCompleteTs(JsonObject body)
    {
        OnlyKeys(body, "", ["condor_complete_ts"]);
        return Integer(Required(body, "condor_complete_ts", ""), "condor_complete_ts");
    }

    /// <summary>Per taskforce uuid, the fields to replace; in the order first seen.</summary>
    public static List<(string Uuid, StatusUpdate Update)> Statuses(JsonObject body)
    {
        OnlyKeys(body, "", StatusKeys);
        var errors = new Dictionary<string, IReadOnlyDictionary<string, long>>();
        var compound = new Dictionary<string, Dictionary<string, IReadOnlyDictionary<string, long>>>();
        var order = new List<string>();
        if (body.TryGetPropertyValue("top_task_errors_by_taskforce", out var e))
        {
            foreach (var (uuid, counts) in NonEmptyObject(e, "top_task_errors_by_taskforce"))
            {
                errors[uuid] = Counts(counts, $"top_task_errors_by_taskforce.{uuid}");
                order.Add(uuid);
            }
        }
        if (body.TryGetPropertyValue("compound_statuses_by_taskforce", out var c))
        {
            foreach (var (uuid, statuses) in NonEmptyObject(c, "compound_statuses_by_taskforce"))
            {
                var path = $"compound_statuses_by_taskforce.{uuid}";
                compound[uuid] = JsonShape.Object(statuses, path)
                    .ToDictionary(kv => kv.Key, IReadOnlyDictionary<string, long> (kv) => Counts(kv.Value, $"{path}.{kv.Key}"));
                if (!errors.ContainsKey(uuid))
                {
                    order.Add(uuid);
                }
            }
        }
        if (order.Count == 0)
        {
            throw new BadRequestException("no taskforce statuses given");
        }
        return order.Select(u => (u, new StatusUpdate(compound.GetValueOrDefault(u), errors.GetValueOrDefault(u))))
            .ToList();
    }

    private static JsonObject NonEmptyObject(JsonNode? node, string path)
    {
        var obj = JsonShape.Object(node, path);
        return obj.Count > 0 ? obj : throw Bad(path, "must name at least one taskforce");
    }

    private static Dictionary<string, long> Counts(JsonNode? node, string path) =>
        JsonShape.Object(node, path).ToDictionary(kv => kv.Key, kv => Integer(kv.Value, $"{path}.{kv.Key}"));
}
