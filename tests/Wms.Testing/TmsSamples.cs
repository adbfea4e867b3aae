using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wms.Testing;

/// <summary>Realistic payloads of the kind the real TMS sends (HTCondor submit dicts, status summaries, error tallies).</summary>
public static class TmsSamples
{
    private const string PilotImageDirectory = "/cvmfs/icecube.opensciencegrid.org/containers/ewms/observation-management-service";

    /// <summary>
    /// One taskforce's compound statuses: HTCondor job status → pilot status → count. Pilot statuses include the
    /// literal key <c>"null"</c> (a pilot that has not reported yet), as the TMS sends them.
    /// </summary>
    public static Dictionary<string, Dictionary<string, int>> CompoundStatuses(int variant = 0)
    {
        var statuses = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal)
        {
            ["RUNNING"] = new(StringComparer.Ordinal) { ["Tasking"] = 3 + variant, ["null"] = 1 },
            ["IDLE"] = new(StringComparer.Ordinal) { ["null"] = 5 + variant },
        };
        if (variant % 2 == 1)
        {
            statuses["HELD"] = new(StringComparer.Ordinal) { ["null"] = variant };
            statuses["RUNNING"]["FatalError"] = 1;
        }

        return statuses;
    }

    /// <summary>Compound statuses for several taskforces, each slightly different.</summary>
    public static Dictionary<string, Dictionary<string, Dictionary<string, int>>> CompoundStatusesFor(IEnumerable<string> taskforceUuids) =>
        taskforceUuids.Select((uuid, i) => (uuid, i)).ToDictionary(p => p.uuid, p => CompoundStatuses(p.i), StringComparer.Ordinal);

    /// <summary>One taskforce's top task errors; keys carry spaces, colons, dots and quotes, as real error texts do.</summary>
    public static Dictionary<string, int> TopTaskErrors(int variant = 0)
    {
        var errors = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["HELD: Memory usage exceeds a memory limit"] = 2 + variant,
            ["ValueError: could not convert string to float: 'n/a' (reco.py, line 42)"] = 1,
            ["TimeoutError: task exceeded 3600.0 seconds"] = variant + 1,
        };
        if (variant % 2 == 1)
        {
            errors["pilot: container exited with code 137 (killed: OOM?)"] = variant;
        }

        return errors;
    }

    /// <summary>Top task errors for several taskforces, each slightly different.</summary>
    public static Dictionary<string, Dictionary<string, int>> TopTaskErrorsFor(IEnumerable<string> taskforceUuids) =>
        taskforceUuids.Select((uuid, i) => (uuid, i)).ToDictionary(p => p.uuid, p => TopTaskErrors(p.i), StringComparer.Ordinal);

    /// <summary>
    /// An HTCondor submit description like the TMS builds, with string and integer values. When the taskforce
    /// object is given, its pilot and worker configuration feed the image, resources and priority.
    /// </summary>
    public static JsonObject SubmitDict(string taskforceUuid, string jobEventLogFpath, JsonObject? taskforce = null)
    {
        var pilot = taskforce?["pilot_config"] as JsonObject;
        var worker = taskforce?["worker_config"] as JsonObject;
        var tag = Text(pilot?["tag"]) ?? "latest";
        var logDirectory = jobEventLogFpath.Contains('/') ? jobEventLogFpath[..jobEventLogFpath.LastIndexOf('/')] : "/scratch/ewms";
        var inputFiles = pilot?["input_files"] is JsonArray files ? string.Join(",", files.Select(Text)) : "";

        return new JsonObject
        {
            ["universe"] = "container",
            ["+should_transfer_container"] = "no",
            ["container_image"] = $"{PilotImageDirectory}/ewms-pilot:{tag}",
            ["arguments"] = "",
            ["environment"] = EnvironmentString(pilot?["environment"] as JsonObject),
            ["Requirements"] = "HAS_CVMFS_icecube_opensciencegrid_org && has_avx && has_avx2",
            ["+FileSystemDomain"] = "\"blah\"",
            ["output"] = $"{logDirectory}/$(ClusterId)/$(ProcId).out",
            ["error"] = $"{logDirectory}/$(ClusterId)/$(ProcId).err",
            ["log"] = jobEventLogFpath,
            ["transfer_input_files"] = inputFiles,
            ["should_transfer_files"] = "YES",
            ["when_to_transfer_output"] = "ON_EXIT_OR_EVICT",
            ["transfer_output_files"] = "",
            ["request_cpus"] = Number(worker?["n_cores"]) ?? 1,
            ["request_memory"] = Text(worker?["worker_memory"]) ?? "8GB",
            ["request_disk"] = Text(worker?["worker_disk"]) ?? "1GB",
            ["priority"] = Number(worker?["priority"]) ?? 0,
            ["+OriginalTime"] = Number(worker?["max_worker_runtime"]) ?? 86400,
            ["+WantIOProxy"] = "true",
            ["+EWMSTaskforceUUID"] = $"\"{taskforceUuid}\"",
            ["leave_in_queue"] = "JobStatus == 4 && (NumJobCompletions > 0 || NumShadowStarts > 4)",
        };
    }

    // HTCondor's "new" environment syntax: double-quoted, space separated, single-quoted values.
    private static string EnvironmentString(JsonObject? environment)
    {
        if (environment is null || environment.Count == 0)
        {
            return "\"\"";
        }

        var pairs = environment.Select(kv =>
        {
            var value = kv.Value switch
            {
                JsonArray list => string.Join(";", list.Select(Text)),
                JsonValue v when v.GetValueKind() is JsonValueKind.String => v.GetValue<string>(),
                var other => other?.ToJsonString() ?? "",
            };
            return $"{kv.Key}='{value.Replace("'", "''", StringComparison.Ordinal).Replace("\"", "\"\"", StringComparison.Ordinal)}'";
        });
        return $"\"{string.Join(' ', pairs)}\"";
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() is JsonValueKind.String ? v.GetValue<string>() : null;

    private static long? Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() is JsonValueKind.Number
        && long.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : null;
}
