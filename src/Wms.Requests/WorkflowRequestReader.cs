using System.Text.Json;
using System.Text.Json.Nodes;
using Wms.Domain.Commands;
using Wms.Domain.Model;
using Wms.Domain.Rules;
using static Wms.Requests.JsonShape;

namespace Wms.Requests;

/// <summary>
/// Validates a whole workflow request before anything happens, resolving locations and the pilot tag, so that
/// creation itself cannot fail on the request's content. <c>/v1</c> requests differ from <c>/v0</c> ones in a few
/// keys (<c>pilot_config.image_source</c>, <c>worker_config.condor_requirements</c>, integer sizes, string-only
/// task environments), a default priority, and some texts.
/// </summary>
/// <remarks>
/// What a location or a pilot tag names is configuration, which only the service has: the two seams give the
/// service's catalogs there, and whatever a caller without them can say elsewhere (the command-line client admits
/// any well-formed name and leaves the verdict to the service).
/// </remarks>
public sealed class WorkflowRequestReader(IClusterLocationCatalog locations, IPilotTagResolver tags)
{
    public const int MaxTasks = 1000;

    private static readonly string[] TopKeys = ["tasks", "public_queue_aliases", "priority"];

    private static readonly string[] TaskKeys =
    [
        "cluster_locations", "task_image", "task_args", "task_env", "init_image", "init_args", "init_env",
        "input_queue_aliases", "output_queue_aliases", "pilot_config", "worker_config", "n_workers",
    ];

    private static readonly string[] PilotKeys = ["tag", "environment", "input_files"];

    /// <summary>A <c>/v1</c> pilot config, when given, has all four: its schema is the taskforce's.</summary>
    private static readonly string[] PilotKeysV1 = ["tag", "image_source", "environment", "input_files"];

    private static readonly string[] ImageSources = ["cvmfs", "auto"];

    private static readonly string[] WorkerKeys =
    [
        "do_transfer_worker_stdouterr", "max_worker_runtime", "n_cores", "priority", "worker_disk", "worker_memory",
    ];

    private static readonly string[] WorkerKeysV1 = [.. WorkerKeys, "condor_requirements"];

    /// <summary>The answer to a location no pool is configured for, in each generation's words.</summary>
    public static string UnknownLocation(ApiGeneration generation, string name) => generation == ApiGeneration.V1
        ? $"condor cluster location not found: {name}"
        : $"condor location not found: {name}";

    public WorkflowSpec Read(JsonObject body, ApiGeneration generation = ApiGeneration.V0)
    {
        OnlyKeys(body, "", TopKeys);
        if (Required(body, "tasks", "") is not JsonArray tasks)
        {
            throw Bad("tasks", "must be a list of task objects");
        }
        if (tasks.Count == 0 || tasks.Count > MaxTasks)
        {
            throw Bad("tasks", $"must hold between 1 and {MaxTasks} tasks");
        }
        var publicAliases = StringList(Required(body, "public_queue_aliases", ""), "public_queue_aliases");
        var priority = generation == ApiGeneration.V1 ? Priorities.DefaultV1 : Priorities.DefaultV0;
        if (body.TryGetPropertyValue("priority", out var p))
        {
            var value = Integer(p, "priority");
            priority = value is >= 0 and <= Priorities.Max
                ? (int)value
                : throw Bad("priority", $"must be between 0 and {Priorities.Max}");
        }
        return new WorkflowSpec
        {
            Priority = priority,
            SubmissionKey = Guid.NewGuid(),
            PublicQueueAliases = publicAliases,
            Tasks = tasks.Select((t, i) => ReadTask(t, $"tasks[{i}]", generation)).ToList(),
            Generation = generation,
        };
    }

    private TaskSpec ReadTask(JsonNode? node, string path, ApiGeneration generation)
    {
        var task = JsonShape.Object(node, path);
        OnlyKeys(task, path, TaskKeys);
        var names = StringList(Required(task, "cluster_locations", path), $"{path}.cluster_locations", minItems: 1);
        var clusterLocations = names
            .Select(n => locations.Find(n) ?? throw new BadRequestException(UnknownLocation(generation, n)))
            .ToList();
        var v1 = generation == ApiGeneration.V1;
        return new TaskSpec
        {
            ClusterLocations = clusterLocations,
            TaskImage = String(Required(task, "task_image", path), $"{path}.task_image", allowEmpty: false),
            TaskArgs = String(Required(task, "task_args", path), $"{path}.task_args"),
            TaskEnvJson = EnvironmentJson(task, "task_env", path, stringsOnly: v1),
            InitImage = OptionalString(task, "init_image", path),
            InitArgs = OptionalString(task, "init_args", path),
            InitEnvJson = EnvironmentJson(task, "init_env", path, stringsOnly: v1),
            InputQueueAliases = Aliases(task, "input_queue_aliases", path),
            OutputQueueAliases = Aliases(task, "output_queue_aliases", path),
            PilotConfig = ReadPilotConfig(task, $"{path}.pilot_config", v1),
            WorkerConfig = ReadWorkerConfig(Required(task, "worker_config", path), $"{path}.worker_config", v1),
            NWorkers = ReadWorkers(Required(task, "n_workers", path), $"{path}.n_workers"),
        };
    }

    /// <summary>How many workers to start: the TMS submits exactly this many, so it must be a positive integer.</summary>
    public static long ReadWorkers(JsonNode? node, string path)
    {
        var n = Integer(node, path);
        return n >= 1 ? n : throw Bad(path, "must be at least 1");
    }

    /// <summary>
    /// A size the TMS can read (<see cref="WorkerSize"/>), kept as the user wrote it; on <c>/v1</c> also a positive
    /// integer, kept as one.
    /// </summary>
    private static (string Text, bool IsInteger) Size(JsonNode? node, string path, bool v1)
    {
        if (v1 && node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            var n = Integer(node, path);
            return n >= 1
                ? (n.ToString(System.Globalization.CultureInfo.InvariantCulture), true)
                : throw Bad(path, "must be at least 1");
        }
        var text = String(node, path, allowEmpty: false);
        return WorkerSize.Bytes(text) is not null
            ? (text, false)
            : throw Bad(path, v1 ? $"{WorkerSize.Expected}, or an integer; '{text}' is not" : $"{WorkerSize.Expected}; '{text}' is not");
    }

    private static List<string> Aliases(JsonObject task, string key, string path)
    {
        var aliases = StringList(Required(task, key, path), $"{path}.{key}");
        return aliases.Any(a => a.Length == 0) ? throw Bad($"{path}.{key}", "must not hold an empty alias") : aliases;
    }

    private static string? OptionalString(JsonObject task, string key, string path) =>
        task.TryGetPropertyValue(key, out var node) ? String(node, $"{path}.{key}") : null;

    /// <summary>The pilot takes these as JSON text; an empty object sets nothing. <c>/v1</c> allows strings only.</summary>
    private static string? EnvironmentJson(JsonObject task, string key, string path, bool stringsOnly)
    {
        if (!task.TryGetPropertyValue(key, out var node))
        {
            return null;
        }
        var environment = JsonShape.Object(node, $"{path}.{key}");
        foreach (var (name, value) in environment)
        {
            if (stringsOnly && (value is null || value.GetValueKind() != JsonValueKind.String))
            {
                throw Bad($"{path}.{key}.{name}", "must be a string");
            }
            if (value is null || value.GetValueKind() is JsonValueKind.Object or JsonValueKind.Array)
            {
                throw Bad($"{path}.{key}.{name}", "must be a string, number or boolean");
            }
        }
        return environment.Count == 0 ? null : environment.ToJsonString();
    }

    private PilotConfig ReadPilotConfig(JsonObject task, string path, bool v1)
    {
        var given = task.TryGetPropertyValue("pilot_config", out var node);
        var config = given ? JsonShape.Object(node, path) : [];
        OnlyKeys(config, path, v1 ? PilotKeysV1 : PilotKeys);
        if (v1 && given)
        {
            foreach (var key in PilotKeysV1)
            {
                Required(config, key, path);
            }
            // Shown as cvmfs whatever is asked, as upstream does; still, only a source the TMS knows is accepted.
            var source = String(config["image_source"], $"{path}.image_source");
            if (!ImageSources.Contains(source))
            {
                throw Bad($"{path}.image_source", $"must be one of {string.Join(", ", ImageSources)}");
            }
        }
        var requested = config.TryGetPropertyValue("tag", out var t) ? String(t, $"{path}.tag") : PilotTag.Latest;
        if (!PilotTag.Shape().IsMatch(requested))
        {
            throw Bad($"{path}.tag", $"'{requested}' is not a pilot tag (X.Y.Z, 'latest', or name-suffix)");
        }
        var tag = tags.Resolve(requested) ?? throw Bad($"{path}.tag", $"no pilot image is known for tag '{requested}'");
        var environment = new Dictionary<string, ConfigValue>();
        if (config.TryGetPropertyValue("environment", out var e))
        {
            foreach (var (name, value) in JsonShape.Object(e, $"{path}.environment"))
            {
                if (PilotEnvironment.Reserved.Contains(name))
                {
                    throw new BadRequestException(
                        $"{path}.environment cannot include the attribute '{name}'. The WMS sets it from the task's own fields.");
                }
                if (v1 && name.StartsWith(QueueEnvironment.Prefix, StringComparison.Ordinal))
                {
                    throw new BadRequestException(
                        $"{path}.environment cannot include the attribute '{name}'. The TMS sets the queue variables itself, adding to any value it finds.");
                }
                environment[name] = ReadEnvironmentValue(value, $"{path}.environment.{name}");
            }
        }
        var inputFiles = config.TryGetPropertyValue("input_files", out var f) ? StringList(f, $"{path}.input_files") : [];
        return new PilotConfig { Tag = tag, Environment = environment, InputFiles = inputFiles };
    }

    private static ConfigValue ReadEnvironmentValue(JsonNode? value, string path) => value switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => ConfigValue.Of(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => ConfigValue.Of(Integer(v, path)),
        JsonArray a => ConfigValue.Of(StringList(a, path, minItems: 1, unique: false)),
        _ => throw Bad(path, "must be a string, an integer or a non-empty list of strings"),
    };

    private static WorkerConfig ReadWorkerConfig(JsonNode? node, string path, bool v1)
    {
        var config = JsonShape.Object(node, path);
        OnlyKeys(config, path, v1 ? WorkerKeysV1 : WorkerKeys);
        long Positive(string key)
        {
            var n = Integer(Required(config, key, path), $"{path}.{key}");
            return n >= 1 ? n : throw Bad($"{path}.{key}", "must be at least 1");
        }
        var disk = Size(Required(config, "worker_disk", path), $"{path}.worker_disk", v1);
        var memory = Size(Required(config, "worker_memory", path), $"{path}.worker_memory", v1);
        return new WorkerConfig
        {
            DoTransferWorkerStdouterr = Boolean(Required(config, "do_transfer_worker_stdouterr", path),
                $"{path}.do_transfer_worker_stdouterr"),
            MaxWorkerRuntime = Positive("max_worker_runtime"),
            NCores = Positive("n_cores"),
            Priority = Integer(Required(config, "priority", path), $"{path}.priority"),
            WorkerDisk = disk.Text,
            WorkerDiskIsInteger = disk.IsInteger,
            WorkerMemory = memory.Text,
            WorkerMemoryIsInteger = memory.IsInteger,
            CondorRequirements = v1
                ? String(Required(config, "condor_requirements", path), $"{path}.condor_requirements")
                : "",
        };
    }
}
