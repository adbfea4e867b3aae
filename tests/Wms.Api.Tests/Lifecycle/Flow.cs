using System.Text.Json.Nodes;

namespace Wms.Api.Tests.Lifecycle;

/// <summary>One expected <c>phase_change_log</c> entry: target phase, source entity, success.</summary>
public sealed record LogStep(string Target, string Source, bool Ok = true);

/// <summary>Request builders and readers of the objects the lifecycle tests pass around.</summary>
public static class Flow
{
    public const string PreMqActivation = "pre-mq-activation";
    public const string PreLaunch = "pre-launch";
    public const string PendingStarter = "pending-starter";
    public const string CondorSubmit = "condor-submit";
    public const string PendingStopper = "pending-stopper";
    public const string CondorRm = "condor-rm";
    public const string CondorComplete = "condor-complete";

    public const string User = "User";
    public const string Activator = "Workflow MQ Activator";
    public const string LaunchControl = "Taskforce Launch Control";
    public const string Tms = "TMS";

    public const string Alpha = "test-alpha";
    public const string Beta = "test-beta";

    /// <summary>The log every taskforce has once the TMS may start it.</summary>
    public static readonly LogStep[] UpToPendingStarter =
    [
        new(PreMqActivation, User), new(PreLaunch, Activator), new(PendingStarter, LaunchControl),
    ];

    /// <summary>A task with everything the request requires.</summary>
    public static JsonObject Task(
        string[] locations,
        string[] inputs,
        string[] outputs,
        long workerPriority = 10,
        long? nWorkers = 3,
        string image = "/cvmfs/icecube.opensciencegrid.org/containers/realtime/skymap_scanner:3.21.2",
        string args = "python -m skymap_scanner.client --infile {{INFILE}} --outfile {{OUTFILE}}") => new()
        {
            ["cluster_locations"] = Strings(locations),
            ["task_image"] = image,
            ["task_args"] = args,
            ["input_queue_aliases"] = Strings(inputs),
            ["output_queue_aliases"] = Strings(outputs),
            ["worker_config"] = new JsonObject
            {
                ["do_transfer_worker_stdouterr"] = true,
                ["max_worker_runtime"] = 3600,
                ["n_cores"] = 1,
                ["priority"] = workerPriority,
                ["worker_disk"] = "1GB",
                ["worker_memory"] = "8GB",
            },
            ["n_workers"] = nWorkers,
        };

    public static JsonObject Workflow(IEnumerable<JsonObject> tasks, string[]? publicAliases = null, int? priority = null)
    {
        var request = new JsonObject
        {
            ["tasks"] = new JsonArray(tasks.Select(t => (JsonNode)t).ToArray()),
            ["public_queue_aliases"] = Strings(publicAliases ?? []),
        };
        if (priority is { } p)
        {
            request["priority"] = p;
        }
        return request;
    }

    /// <summary>One task at the given locations, reading queue "in" and writing queue "out".</summary>
    public static JsonObject SimpleWorkflow(params string[] locations) =>
        Workflow([Task(locations, ["in"], ["out"])]);

    public static JsonArray Strings(IEnumerable<string> items) => new(items.Select(i => (JsonNode)i).ToArray());

    public static string Text(JsonNode? node) => node!.GetValue<string>();

    public static string WorkflowId(JsonObject created) => Text(created["workflow"]!["workflow_id"]);

    public static List<string> TaskforceUuids(JsonObject created) =>
        ((JsonArray)created["taskforces"]!).Select(tf => Text(tf!["taskforce_uuid"])).ToList();

    public static List<string> TaskIds(JsonObject created) =>
        ((JsonArray)created["task_directives"]!).Select(td => Text(td!["task_id"])).ToList();

    public static string PhaseOf(JsonObject taskforce) => Text(taskforce["phase"]);

    public static List<JsonObject> LogOf(JsonObject taskforce) =>
        ((JsonArray)taskforce["phase_change_log"]!).Select(e => (JsonObject)e!).ToList();

    /// <summary>Asserts the whole log: exactly these entries in this order.</summary>
    public static void AssertLog(JsonObject taskforce, params IEnumerable<LogStep> expected)
    {
        var actual = LogOf(taskforce)
            .Select(e => new LogStep(Text(e["target_phase"]), Text(e["source_entity"]), e["was_successful"]!.GetValue<bool>()))
            .ToList();
        Assert.True(expected.SequenceEqual(actual),
            $"phase_change_log of {taskforce["taskforce_uuid"]}:\n expected {string.Join(", ", expected)}\n actual   {string.Join(", ", actual)}");
    }

    /// <summary>The epoch-seconds clock the service stamps with.</summary>
    public static double Now() => (DateTimeOffset.UtcNow.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;

    public static double Number(JsonNode? node) => node!.GetValue<double>();

    /// <summary>Asserts two JSON values are equal (objects key-order-insensitively), showing both when not.</summary>
    public static void AssertJson(JsonNode? expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual),
            $"JSON differs:\n expected {expected?.ToJsonString() ?? "null"}\n actual   {actual?.ToJsonString() ?? "null"}");

    /// <summary>Copies nodes into a new array (a node can only have one parent).</summary>
    public static JsonArray ArrayOf(IEnumerable<JsonNode?> nodes) => new([.. nodes.Select(n => n?.DeepClone())]);
}
