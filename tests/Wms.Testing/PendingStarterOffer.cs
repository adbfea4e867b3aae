using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Wms.Testing;

/// <summary>
/// What TMS v1.2.4 makes of one non-empty <c>/v1</c> pending-starter answer <c>{taskforce, task_directive,
/// mqprofiles}</c>: it reads every key it uses (throwing <see cref="TmsCrashException"/> where the real TMS would
/// fail), adds its variables to the pilot's environment and composes the HTCondor submit description.
/// </summary>
/// <remarks>
/// The environment is built as the TMS builds it: <c>EWMS_PILOT_TASK_IMAGE</c>, <c>_TASK_ARGS</c>,
/// <c>_INIT_IMAGE</c> and <c>_INIT_ARGS</c> always; <c>_TASK_ENV_JSON</c> and <c>_INIT_ENV_JSON</c> (Python's
/// <c>json.dumps</c>) only when the map is not empty; then, per profile in answer order, the four
/// <c>EWMS_PILOT_QUEUE_INCOMING*</c> variables when its mqid is an input queue and the four <c>_OUTGOING*</c> ones when
/// it is an output queue, each <c>;</c>-appended onto any value already there (so a value the WMS left in the
/// environment corrupts the list); finally the HTChirp defaults, which do not override.
/// Stricter than the TMS in one place: <c>input_queues</c> and <c>output_queues</c> must be present even when there
/// are no profiles (the TMS reads them only inside its profile loop).
/// </remarks>
public sealed partial class PendingStarterOffer
{
    /// <summary>Where the pilot image lives on CVMFS; the TMS appends <c>:{tag}</c>.</summary>
    public const string PilotImagePath = "/cvmfs/icecube.opensciencegrid.org/containers/ewms/observation-management-service/ewms-pilot";

    /// <summary>The requirements every submit carries; a taskforce's own <c>condor_requirements</c> are and-ed on.</summary>
    public const string DefaultRequirements = "HAS_CVMFS_icecube_opensciencegrid_org && HAS_SINGULARITY";

    private const string Directive = "task_directive";
    private const string Taskforce = "taskforce";
    private const string Pilot = "taskforce.pilot_config";
    private const string Worker = "taskforce.worker_config";

    private static readonly string[] BinaryUnits = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];

    private PendingStarterOffer(
        JsonObject answer, string taskforceUuid, int nWorkers, JsonObject offeredEnvironment, JsonObject environment, JsonObject submitDict)
    {
        Answer = answer;
        TaskforceUuid = taskforceUuid;
        NWorkers = nWorkers;
        OfferedEnvironment = offeredEnvironment;
        Environment = environment;
        SubmitDict = submitDict;
    }

    /// <summary>The answer as the WMS sent it (a copy; building the environment does not change it).</summary>
    public JsonObject Answer { get; }

    public string TaskforceUuid { get; }

    /// <summary>The <c>n_workers</c> the TMS submits, and reports back as the cluster's size.</summary>
    public int NWorkers { get; }

    /// <summary><c>taskforce.pilot_config.environment</c> as the WMS sent it: on /v1, the user's environment only.</summary>
    public JsonObject OfferedEnvironment { get; }

    /// <summary>The pilot's environment after the TMS added its variables: what its env file exports.</summary>
    public JsonObject Environment { get; }

    /// <summary>The HTCondor submit description, as sent in the <c>condor-submit</c> body.</summary>
    public JsonObject SubmitDict { get; }

    /// <summary>A variable of <see cref="Environment"/> as the env file writes it (Python <c>str()</c>), or null when absent.</summary>
    public string? Variable(string name) =>
        Environment.TryGetPropertyValue(name, out var value) ? PythonText.Str(value) : null;

    /// <summary>
    /// Reads a non-empty pending-starter answer as TMS v1.2.4 does. <paramref name="jobEventLogFpath"/> is the
    /// HTCondor job event log the TMS submits with; its directory also holds the TMS's per-taskforce directories.
    /// </summary>
    public static PendingStarterOffer Read(JsonObject answer, string jobEventLogFpath)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentException.ThrowIfNullOrEmpty(jobEventLogFpath);

        // The TMS edits its own decoded copy; keep the received answer intact for the caller.
        var working = (JsonObject)answer.DeepClone();
        var taskforce = Key(working, "", Taskforce);
        var directive = Key(working, "", Directive);
        var environment = AsObject(Key(Key(taskforce, Taskforce, "pilot_config"), Pilot, "environment"), $"{Pilot}.environment");
        var offered = (JsonObject)environment.DeepClone();

        AddTaskVariables(directive, environment);
        AddQueueVariables(working, directive, environment);

        var uuid = Key(taskforce, Taskforce, "taskforce_uuid") is JsonValue u && u.GetValueKind() is JsonValueKind.String
            ? u.GetValue<string>()
            : throw new TmsCrashException($"{Taskforce}.taskforce_uuid", "is not a string (it goes into the WMS route)");
        var nWorkers = WholeNumber(Key(taskforce, Taskforce, "n_workers"), $"{Taskforce}.n_workers", "HTCondor's job count");
        var pilot = AsObject(Key(taskforce, Taskforce, "pilot_config"), Pilot);
        var worker = AsObject(Key(taskforce, Taskforce, "worker_config"), Worker);
        var submitDict = SubmitDescription(uuid, pilot, worker, environment, jobEventLogFpath);

        return new PendingStarterOffer((JsonObject)answer.DeepClone(), uuid, (int)nWorkers, offered, environment, submitDict);
    }

    private static void AddTaskVariables(JsonNode? directive, JsonObject environment)
    {
        // The TMS reads all six before writing any.
        var taskImage = Key(directive, Directive, "task_image");
        var taskArgs = Key(directive, Directive, "task_args");
        var taskEnv = Key(directive, Directive, "task_env");
        var initImage = Key(directive, Directive, "init_image");
        var initArgs = Key(directive, Directive, "init_args");
        var initEnv = Key(directive, Directive, "init_env");

        environment["EWMS_PILOT_TASK_IMAGE"] = taskImage?.DeepClone();
        environment["EWMS_PILOT_TASK_ARGS"] = taskArgs?.DeepClone();
        environment["EWMS_PILOT_INIT_IMAGE"] = initImage?.DeepClone();
        environment["EWMS_PILOT_INIT_ARGS"] = initArgs?.DeepClone();
        if (PythonText.IsTruthy(taskEnv))
        {
            environment["EWMS_PILOT_TASK_ENV_JSON"] = PythonText.JsonDumps(taskEnv);
        }

        if (PythonText.IsTruthy(initEnv))
        {
            environment["EWMS_PILOT_INIT_ENV_JSON"] = PythonText.JsonDumps(initEnv);
        }
    }

    private static void AddQueueVariables(JsonObject answer, JsonNode? directive, JsonObject environment)
    {
        var profiles = Key(answer, "", "mqprofiles") as JsonArray
            ?? throw new TmsCrashException("mqprofiles", "is not a list");
        var inputs = Key(directive, Directive, "input_queues") as JsonArray
            ?? throw new TmsCrashException($"{Directive}.input_queues", "is not a list");
        var outputs = Key(directive, Directive, "output_queues") as JsonArray
            ?? throw new TmsCrashException($"{Directive}.output_queues", "is not a list");

        for (var i = 0; i < profiles.Count; i++)
        {
            var at = $"mqprofiles[{i}]";
            var mqid = Key(profiles[i], at, "mqid");
            var values = new[] { mqid, Key(profiles[i], at, "auth_token"), Key(profiles[i], at, "broker_type"), Key(profiles[i], at, "broker_address") };

            // Not either-or: a task that reads and writes the same queue gets both sets.
            if (inputs.Any(q => JsonNode.DeepEquals(q, mqid)))
            {
                AppendQueue(environment, "EWMS_PILOT_QUEUE_INCOMING", values);
            }

            if (outputs.Any(q => JsonNode.DeepEquals(q, mqid)))
            {
                AppendQueue(environment, "EWMS_PILOT_QUEUE_OUTGOING", values);
            }
        }
    }

    private static void AppendQueue(JsonObject environment, string prefix, JsonNode?[] values)
    {
        string[] names = [prefix, prefix + "_AUTH_TOKEN", prefix + "_BROKER_TYPE", prefix + "_BROKER_ADDRESS"];
        for (var i = 0; i < names.Length; i++)
        {
            // An empty or absent value is replaced; anything else gets ";value" after its Python str().
            environment.TryGetPropertyValue(names[i], out var existing);
            environment[names[i]] = PythonText.IsTruthy(existing)
                ? JsonValue.Create($"{PythonText.Str(existing)};{PythonText.Str(values[i])}")
                : values[i]?.DeepClone();
        }
    }

    private static JsonObject SubmitDescription(string uuid, JsonObject pilot, JsonObject worker, JsonObject environment, string jobEventLogFpath)
    {
        var slash = jobEventLogFpath.LastIndexOf('/');
        var taskforceDirectory = $"{(slash > 0 ? jobEventLogFpath[..slash] : ".")}/ewms-taskforce-{uuid}";

        environment.TryAdd("EWMS_PILOT_HTCHIRP", "True");
        environment.TryAdd("EWMS_PILOT_HTCHIRP_DEST", "JOB_EVENT_LOG");
        var inputFiles = Key(pilot, Pilot, "input_files") as JsonArray
            ?? throw new TmsCrashException($"{Pilot}.input_files", "is not a list (the TMS appends its env file to it)");
        var transferred = inputFiles.Select(PythonText.Str).Append($"{taskforceDirectory}/ewms_htcondor_envfile.sh");

        var requirements = Key(worker, Worker, "condor_requirements") is JsonValue r && r.GetValueKind() is JsonValueKind.String
            ? r.GetValue<string>().Trim()
            : throw new TmsCrashException($"{Worker}.condor_requirements", "is not a string (the TMS strips it)");
        var imageSource = Key(pilot, Pilot, "image_source") is JsonValue s && s.GetValueKind() is JsonValueKind.String
            ? s.GetValue<string>().ToLowerInvariant()
            : throw new TmsCrashException($"{Pilot}.image_source", "is not a string");
        if (imageSource is not ("cvmfs" or "auto"))
        {
            throw new TmsCrashException($"{Pilot}.image_source", $"'{imageSource}' is not a source the TMS knows (cvmfs, auto)");
        }

        var tag = Key(pilot, Pilot, "tag");
        var nCores = Key(worker, Worker, "n_cores");
        var memory = Size(Key(worker, Worker, "worker_memory"), $"{Worker}.worker_memory");
        var disk = Size(Key(worker, Worker, "worker_disk"), $"{Worker}.worker_disk");
        var priority = Integer(Key(worker, Worker, "priority"), $"{Worker}.priority");
        var runtime = Key(worker, Worker, "max_worker_runtime");
        var transferOutput = Key(worker, Worker, "do_transfer_worker_stdouterr");

        var submit = new JsonObject
        {
            ["universe"] = "container",
            ["+should_transfer_container"] = "no",
            ["container_image"] = $"{PilotImagePath}:{PythonText.Str(tag)}",
            ["Requirements"] = requirements.Length > 0 ? $"{DefaultRequirements} && ({requirements})" : DefaultRequirements,
            ["+FileSystemDomain"] = "\"blah\"",
            ["log"] = jobEventLogFpath,
            ["transfer_input_files"] = string.Join(",", transferred),
            ["transfer_output_files"] = "",
            ["should_transfer_files"] = "YES",
            ["when_to_transfer_output"] = "ON_EXIT_OR_EVICT",
            ["transfer_executable"] = "false",
            ["request_cpus"] = PythonText.Str(nCores),
            ["request_memory"] = memory,
            ["request_disk"] = disk,
            ["priority"] = priority,
            ["+WantIOProxy"] = "true",
            ["+OriginalTime"] = runtime?.DeepClone(),
            ["+EWMSTaskforceUUID"] = $"\"{uuid}\"",
            ["job_ad_information_attrs"] = "EWMSTaskforceUUID",
        };
        if (PythonText.IsTruthy(transferOutput))
        {
            submit["output"] = $"{taskforceDirectory}/cluster-$(ClusterId)/$(ProcId).out";
            submit["error"] = $"{taskforceDirectory}/cluster-$(ClusterId)/$(ProcId).err";
        }

        return submit;
    }

    private static JsonNode? Key(JsonNode? parent, string parentPath, string key)
    {
        var where = parentPath.Length == 0 ? key : $"{parentPath}.{key}";
        if (parent is not JsonObject obj)
        {
            throw new TmsCrashException(parentPath, $"is {Describe(parent)}, not an object, so '{key}' cannot be read");
        }

        return obj.TryGetPropertyValue(key, out var value) ? value : throw new TmsCrashException(where, "is missing (KeyError)");
    }

    private static JsonObject AsObject(JsonNode? node, string where) =>
        node as JsonObject ?? throw new TmsCrashException(where, $"is {Describe(node)}, not an object");

    private static long WholeNumber(JsonNode? node, string where, string use) =>
        node is JsonValue v && v.GetValueKind() is JsonValueKind.Number && JsonSchemaSubset.IsWholeNumber(v)
            ? (long)decimal.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : throw new TmsCrashException(where, $"is {Describe(node)}, not an integer ({use})");

    // Python's int(): numbers truncate, strings must spell an integer, booleans count as 1 and 0.
    private static long Integer(JsonNode? node, string where)
    {
        if (node is JsonValue v)
        {
            switch (v.GetValueKind())
            {
                case JsonValueKind.Number:
                    return (long)decimal.Truncate(decimal.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture));
                case JsonValueKind.String when long.TryParse(v.GetValue<string>().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n):
                    return n;
                case JsonValueKind.True:
                    return 1;
                case JsonValueKind.False:
                    return 0;
            }
        }

        throw new TmsCrashException(where, $"is {Describe(node)}, which Python's int() refuses");
    }

    // humanfriendly's parse_size(binary=True) then format_size(binary=True) with the "i" removed, as HTCondor wants.
    private static string Size(JsonNode? node, string where)
    {
        var text = PythonText.Str(node);
        var match = SizeText().Match(text);
        if (!match.Success)
        {
            throw new TmsCrashException(where, $"'{text}' is not a size the TMS can parse");
        }

        var number = decimal.Parse(match.Groups["number"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        var unit = match.Groups["unit"].Value.ToLowerInvariant();
        var power = unit.Length == 0 || unit[0] == 'b' ? 0 : "kmgtpezy".IndexOf(unit[0], StringComparison.Ordinal) + 1;
        var bytes = decimal.Truncate(number * Pow1024(power));

        for (var i = BinaryUnits.Length; i >= 1; i--)
        {
            if (bytes >= Pow1024(i))
            {
                var scaled = Math.Round(bytes / Pow1024(i), 2, MidpointRounding.ToEven).ToString("0.##", CultureInfo.InvariantCulture);
                return $"{scaled} {BinaryUnits[i - 1]}".Replace("i", "", StringComparison.Ordinal);
            }
        }

        return bytes == 1 ? "1 byte" : $"{bytes.ToString(CultureInfo.InvariantCulture)} bytes";
    }

    private static decimal Pow1024(int power)
    {
        var result = 1m;
        for (var i = 0; i < power; i++)
        {
            result *= 1024m;
        }

        return result;
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "a list",
        JsonObject => "an object",
        _ => $"{node.GetValueKind().ToString().ToLowerInvariant()} {node.ToJsonString()}",
    };

    [GeneratedRegex(@"^\s*(?<number>\d+(?:\.\d+)?)\s*(?<unit>(?:[kmgtpezy](?:i?b)?|b|bytes?)?)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SizeText();
}
