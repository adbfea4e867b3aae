using System.Text.Json;
using System.Text.Json.Nodes;
using Wms.Api.Configuration;
using Wms.Api.Errors;
using Wms.Domain.Commands;
using Wms.Domain.Model;
using Wms.Domain.Rules;
using static Wms.Api.Requests.JsonShape;

namespace Wms.Api.Requests;

/// <summary>
/// Validates a whole workflow request before anything happens, resolving locations and the pilot tag, so that
/// creation itself cannot fail on the request's content.
/// </summary>
public sealed class WorkflowRequestReader(ClusterLocationCatalog locations, PilotTagResolver tags)
{
    public const int DefaultPriority = 10;
    public const int MaxTasks = 1000;

    private static readonly string[] TopKeys = ["tasks", "public_queue_aliases", "priority"];

    private static readonly string[] TaskKeys =
    [
        "cluster_locations", "task_image", "task_args", "task_env", "init_image", "init_args", "init_env",
        "input_queue_aliases", "output_queue_aliases", "pilot_config", "worker_config", "n_workers",
    ];

    private static readonly string[] PilotKeys = ["tag", "environment", "input_files"];

    private static readonly string[] WorkerKeys =
    [
        "do_transfer_worker_stdouterr", "max_worker_runtime", "n_cores", "priority", "worker_disk", "worker_memory",
    ];

    public WorkflowSpec Read(JsonObject body)
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
        var priority = DefaultPriority;
        if (body.TryGetPropertyValue("priority", out var p))
        {
            var value = Integer(p, "priority");
            priority = value is >= 0 and <= 100 ? (int)value : throw Bad("priority", "must be between 0 and 100");
        }
        return new WorkflowSpec
        {
            Priority = priority,
            SubmissionKey = Guid.NewGuid(),
            PublicQueueAliases = publicAliases,
            Tasks = tasks.Select((t, i) => ReadTask(t, $"tasks[{i}]")).ToList(),
        };
    }

    private TaskSpec ReadTask(JsonNode? node, string path)
    {
        var task = JsonShape.Object(node, path);
        OnlyKeys(task, path, TaskKeys);
        var names = StringList(Required(task, "cluster_locations", path), $"{path}.cluster_locations", minItems: 1);
        var clusterLocations = names
            .Select(n => locations.Find(n) ?? throw new BadRequestException($"condor location not found: {n}"))
            .ToList();
        return new TaskSpec
        {
            ClusterLocations = clusterLocations,
            TaskImage = String(Required(task, "task_image", path), $"{path}.task_image", allowEmpty: false),
            TaskArgs = String(Required(task, "task_args", path), $"{path}.task_args"),
            TaskEnvJson = EnvironmentJson(task, "task_env", path),
            InitImage = OptionalString(task, "init_image", path),
            InitArgs = OptionalString(task, "init_args", path),
            InitEnvJson = EnvironmentJson(task, "init_env", path),
            InputQueueAliases = Aliases(task, "input_queue_aliases", path),
            OutputQueueAliases = Aliases(task, "output_queue_aliases", path),
            PilotConfig = ReadPilotConfig(task, $"{path}.pilot_config"),
            WorkerConfig = ReadWorkerConfig(Required(task, "worker_config", path), $"{path}.worker_config"),
            NWorkers = ReadWorkers(Required(task, "n_workers", path), $"{path}.n_workers"),
        };
    }

    /// <summary>How many workers to start: the TMS submits exactly this many, so it must be a positive integer.</summary>
    public static long ReadWorkers(JsonNode? node, string path)
    {
        var n = Integer(node, path);
        return n >= 1 ? n : throw Bad(path, "must be at least 1");
    }

    /// <summary>A size the TMS can read (<see cref="WorkerSize"/>), kept as the user wrote it.</summary>
    private static string Size(JsonNode? node, string path)
    {
        var text = String(node, path, allowEmpty: false);
        return WorkerSize.Bytes(text) is not null ? text : throw Bad(path, $"{WorkerSize.Expected}; '{text}' is not");
    }

    private static List<string> Aliases(JsonObject task, string key, string path)
    {
        var aliases = StringList(Required(task, key, path), $"{path}.{key}");
        return aliases.Any(a => a.Length == 0) ? throw Bad($"{path}.{key}", "must not hold an empty alias") : aliases;
    }

    private static string? OptionalString(JsonObject task, string key, string path) =>
        task.TryGetPropertyValue(key, out var node) ? String(node, $"{path}.{key}") : null;

    /// <summary>The pilot takes these as JSON text; an empty object sets nothing.</summary>
    private static string? EnvironmentJson(JsonObject task, string key, string path)
    {
        if (!task.TryGetPropertyValue(key, out var node))
        {
            return null;
        }
        var environment = JsonShape.Object(node, $"{path}.{key}");
        foreach (var (name, value) in environment)
        {
            if (value is null || value.GetValueKind() is JsonValueKind.Object or JsonValueKind.Array)
            {
                throw Bad($"{path}.{key}.{name}", "must be a string, number or boolean");
            }
        }
        return environment.Count == 0 ? null : environment.ToJsonString();
    }

    private PilotConfig ReadPilotConfig(JsonObject task, string path)
    {
        var config = task.TryGetPropertyValue("pilot_config", out var node) ? JsonShape.Object(node, path) : [];
        OnlyKeys(config, path, PilotKeys);
        var requested = config.TryGetPropertyValue("tag", out var t) ? String(t, $"{path}.tag") : PilotTagResolver.Latest;
        if (!PilotTagResolver.TagShape().IsMatch(requested))
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

    private static WorkerConfig ReadWorkerConfig(JsonNode? node, string path)
    {
        var config = JsonShape.Object(node, path);
        OnlyKeys(config, path, WorkerKeys);
        long Positive(string key)
        {
            var n = Integer(Required(config, key, path), $"{path}.{key}");
            return n >= 1 ? n : throw Bad($"{path}.{key}", "must be at least 1");
        }
        return new WorkerConfig
        {
            DoTransferWorkerStdouterr = Boolean(Required(config, "do_transfer_worker_stdouterr", path),
                $"{path}.do_transfer_worker_stdouterr"),
            MaxWorkerRuntime = Positive("max_worker_runtime"),
            NCores = Positive("n_cores"),
            Priority = Integer(Required(config, "priority", path), $"{path}.priority"),
            WorkerDisk = Size(Required(config, "worker_disk", path), $"{path}.worker_disk"),
            WorkerMemory = Size(Required(config, "worker_memory", path), $"{path}.worker_memory"),
        };
    }
}
