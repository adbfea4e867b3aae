using System.Text.Json.Nodes;

namespace Wms.Api.Tests.BadInput;

/// <summary>A workflow request the service accepts, as the base every malformed variant is made from.</summary>
public static class ValidWorkflow
{
    public static JsonObject Worker() => new()
    {
        ["do_transfer_worker_stdouterr"] = true,
        ["max_worker_runtime"] = 3600,
        ["n_cores"] = 1,
        ["priority"] = 10,
        ["worker_disk"] = "1G",
        ["worker_memory"] = "512M",
    };

    public static JsonObject Task(string location = "test-alpha") => new()
    {
        ["cluster_locations"] = new JsonArray(location),
        ["task_image"] = "/cvmfs/icecube.opensciencegrid.org/containers/task:1.0",
        ["task_args"] = "--input x --output y",
        ["task_env"] = new JsonObject { ["SEED"] = "1" },
        ["input_queue_aliases"] = new JsonArray("in-q"),
        ["output_queue_aliases"] = new JsonArray("out-q"),
        ["pilot_config"] = new JsonObject
        {
            ["tag"] = "1.2.3",
            ["environment"] = new JsonObject { ["USER_VAR"] = "x" },
            ["input_files"] = new JsonArray(),
        },
        ["worker_config"] = Worker(),
        ["n_workers"] = 5,
    };

    public static JsonObject Object(bool twoTasks = false)
    {
        var tasks = new JsonArray(Task());
        if (twoTasks)
        {
            tasks[0]!["cluster_locations"] = new JsonArray("test-alpha", "test-beta");
            var second = Task("test-alpha");
            second["input_queue_aliases"] = new JsonArray("out-q");
            second["output_queue_aliases"] = new JsonArray();
            tasks.Add(second);
        }
        return new JsonObject
        {
            ["tasks"] = tasks,
            ["public_queue_aliases"] = new JsonArray("in-q"),
            ["priority"] = 20,
        };
    }

    public static string Body(bool twoTasks = false) => Object(twoTasks).ToJsonString();

    /// <summary>The valid body with one change made to it.</summary>
    public static string With(Action<JsonObject> change)
    {
        var body = Object();
        change(body);
        return body.ToJsonString();
    }

    /// <summary>The valid body with one change made to its first task.</summary>
    public static string WithTask(Action<JsonObject> change) => With(b => change((JsonObject)b["tasks"]![0]!));

    public static string WithWorker(Action<JsonObject> change) =>
        WithTask(t => change((JsonObject)t["worker_config"]!));

    public static string WithPilot(Action<JsonObject> change) =>
        WithTask(t => change((JsonObject)t["pilot_config"]!));
}
