using System.Text;
using System.Text.Json.Nodes;

namespace Wms.Api.Tests.BadInput;

/// <summary>Requests the service must refuse with a 4xx and no change of state, by name.</summary>
public static class BadInputCorpus
{
    private const string Workflows = "v0/workflows";
    private const string Uuid = "TF-6650a1b2-0badf00d-0badf00d-0badf00d";
    private const string TaskId = "TK-6650a1b2-0badf00d-0badf00d";
    private const string WorkflowId = "WF-6650a1b2-0badf00d";

    public static readonly string[] ReservedNames =
    [
        "EWMS_PILOT_TASK_IMAGE", "EWMS_PILOT_TASK_ARGS", "EWMS_PILOT_TASK_ENV_JSON",
        "EWMS_PILOT_INIT_IMAGE", "EWMS_PILOT_INIT_ARGS", "EWMS_PILOT_INIT_ENV_JSON",
    ];

    public static IReadOnlyDictionary<string, BadCase> Cases { get; } = Build();

    private static Dictionary<string, BadCase> Build()
    {
        var cases = new Dictionary<string, BadCase>(StringComparer.Ordinal);
        void Add(string name, BadCase c)
        {
            if (!cases.TryAdd(name, c))
            {
                throw new InvalidOperationException($"two cases are named '{name}'");
            }
        }
        void Create(string name, string? body, string? error = null, ErrorText match = ErrorText.Any) =>
            Add("create: " + name, new BadCase("POST", Workflows, body, 400)
            {
                Error = error,
                Match = error is null ? ErrorText.Any : match,
            });

        // Not JSON, or not a JSON object.
        var valid = ValidWorkflow.Body();
        Create("truncated JSON", valid[..(valid.Length / 2)]);
        Create("trailing garbage", valid + " x");
        Create("two objects", valid + valid);
        Create("single quotes", "{'tasks': []}");
        Create("trailing comma", "{\"tasks\": [], \"public_queue_aliases\": [],}");
        Create("comment", "/* hello */ " + valid);
        Create("NaN literal", ValidWorkflow.Body().Replace("\"priority\":20", "\"priority\":NaN", StringComparison.Ordinal));
        Create("unquoted key", "{tasks: []}");
        Create("empty body", "");
        Create("whitespace body", "   \n ");
        Create("array body", "[" + valid + "]");
        Create("string body", "\"tasks\"");
        Create("null body", "null");
        Create("number body", "42");
        Create("boolean body", "true");
        Add("create: invalid UTF-8", new BadCase("POST", Workflows, null, 400)
        {
            Raw = [.. Encoding.UTF8.GetBytes("{\"tasks\": [\""), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes("\"]}")],
        });
        // Bodies are read as JSON whatever their label, so a form body is simply invalid JSON.
        Add("create: form-encoded body", new BadCase("POST", Workflows, "tasks=1&public_queue_aliases=2", 400)
        {
            ContentType = "application/x-www-form-urlencoded",
        });
        Create("duplicate top-level key", valid.Insert(1, "\"priority\": 5, "));
        Create("duplicate task key", ValidWorkflow.Body().Replace("\"n_workers\":5",
            "\"n_workers\":5,\"n_workers\":6", StringComparison.Ordinal));
        Create("depth bomb of arrays", "{\"tasks\": " + new string('[', 100_000) + new string(']', 100_000) + "}");
        Create("depth bomb of objects",
            string.Concat(Enumerable.Repeat("{\"a\":", 20_000)) + "1" + new string('}', 20_000));
        Create("depth just past the limit in a task", ValidWorkflow.Body().Replace("\"task_env\":{\"SEED\":\"1\"}",
            "\"task_env\":" + string.Concat(Enumerable.Repeat("{\"d\":", 70)) + "1" + new string('}', 70), StringComparison.Ordinal));

        // The top level.
        Create("unknown top-level field", ValidWorkflow.With(b => b["workflow_name"] = "x"), "unknown field 'workflow_name'", ErrorText.Exact);
        Create("unknown non-ASCII field", ValidWorkflow.With(b => b["ключ"] = 1), "unknown field 'ключ'", ErrorText.Exact);
        Create("missing tasks", ValidWorkflow.With(b => b.Remove("tasks")));
        Create("tasks is an object", ValidWorkflow.With(b => b["tasks"] = ValidWorkflow.Task()));
        Create("tasks is null", ValidWorkflow.With(b => b["tasks"] = null));
        Create("empty tasks", ValidWorkflow.With(b => b["tasks"] = new JsonArray()));
        Create("task is a string", ValidWorkflow.With(b => b["tasks"] = new JsonArray("task")));
        Create("task is null", ValidWorkflow.With(b => b["tasks"] = new JsonArray((JsonNode?)null)));
        Create("missing public_queue_aliases", ValidWorkflow.With(b => b.Remove("public_queue_aliases")));
        Create("public_queue_aliases is a string", ValidWorkflow.With(b => b["public_queue_aliases"] = "in-q"));
        Create("public_queue_aliases holds a number", ValidWorkflow.With(b => b["public_queue_aliases"] = new JsonArray(1)));
        Create("public_queue_aliases repeats", ValidWorkflow.With(b => b["public_queue_aliases"] = new JsonArray("a", "a")));
        Create("priority below 0", ValidWorkflow.With(b => b["priority"] = -1));
        Create("priority above 100", ValidWorkflow.With(b => b["priority"] = 101));
        Create("priority far above 100", ValidWorkflow.With(b => b["priority"] = long.MaxValue));
        Create("priority is a string", ValidWorkflow.With(b => b["priority"] = "10"));
        Create("priority is a fraction", ValidWorkflow.With(b => b["priority"] = 1.5));
        Create("priority is huge", ValidWorkflow.Body().Replace("\"priority\":20", "\"priority\":1e400", StringComparison.Ordinal));
        Create("priority is null", ValidWorkflow.With(b => b["priority"] = null));
        Create("priority is boolean", ValidWorkflow.With(b => b["priority"] = true));

        // A task.
        Create("unknown task field", ValidWorkflow.WithTask(t => t["image"] = "x"), "tasks[0]: unknown field 'image'", ErrorText.Exact);
        foreach (var key in new[] { "cluster_locations", "task_image", "task_args", "input_queue_aliases", "output_queue_aliases", "worker_config" })
        {
            Create($"task without {key}", ValidWorkflow.WithTask(t => t.Remove(key)));
        }
        Create("task without n_workers", ValidWorkflow.WithTask(t => t.Remove("n_workers")),
            "tasks[0]: missing required field 'n_workers'", ErrorText.Exact);
        Create("n_workers is zero", ValidWorkflow.WithTask(t => t["n_workers"] = 0));
        Create("n_workers is negative", ValidWorkflow.WithTask(t => t["n_workers"] = -3));
        Create("n_workers is a string", ValidWorkflow.WithTask(t => t["n_workers"] = "5"));
        Create("n_workers is a fraction", ValidWorkflow.WithTask(t => t["n_workers"] = 2.5));
        Create("cluster_locations empty", ValidWorkflow.WithTask(t => t["cluster_locations"] = new JsonArray()));
        Create("cluster_locations repeats", ValidWorkflow.WithTask(t => t["cluster_locations"] = new JsonArray("test-alpha", "test-alpha")));
        Create("cluster_locations is a string", ValidWorkflow.WithTask(t => t["cluster_locations"] = "test-alpha"));
        Create("cluster_locations holds null", ValidWorkflow.WithTask(t => t["cluster_locations"] = new JsonArray((JsonNode?)null)));
        Create("unknown location", ValidWorkflow.WithTask(t => t["cluster_locations"] = new JsonArray("sub-2")),
            "condor location not found: sub-2", ErrorText.Exact);
        Create("unknown second location", ValidWorkflow.WithTask(t => t["cluster_locations"] = new JsonArray("test-alpha", "mars")),
            "condor location not found: mars", ErrorText.Exact);
        Create("unknown location in second task", ValidWorkflow.With(b =>
        {
            var second = ValidWorkflow.Task("test-gamma");
            ((JsonArray)b["tasks"]!).Add(second);
        }), "condor location not found: test-gamma", ErrorText.Exact);
        Create("unknown non-ASCII location", ValidWorkflow.WithTask(t => t["cluster_locations"] = new JsonArray("módulo-α")),
            "condor location not found: módulo-α", ErrorText.Exact);
        Create("location in other case", ValidWorkflow.WithTask(t => t["cluster_locations"] = new JsonArray("TEST-ALPHA")),
            "condor location not found: TEST-ALPHA", ErrorText.Exact);
        Create("task_image empty", ValidWorkflow.WithTask(t => t["task_image"] = ""));
        Create("task_image is a number", ValidWorkflow.WithTask(t => t["task_image"] = 7));
        Create("task_args is null", ValidWorkflow.WithTask(t => t["task_args"] = null));
        Create("task_args is a list", ValidWorkflow.WithTask(t => t["task_args"] = new JsonArray("-v")));
        Create("input alias empty", ValidWorkflow.WithTask(t => t["input_queue_aliases"] = new JsonArray("")));
        Create("output aliases is an object", ValidWorkflow.WithTask(t => t["output_queue_aliases"] = new JsonObject()));
        Create("task_env is a list", ValidWorkflow.WithTask(t => t["task_env"] = new JsonArray("A=1")));
        Create("task_env value is an object", ValidWorkflow.WithTask(t => t["task_env"] = new JsonObject { ["A"] = new JsonObject() }));
        Create("task_env value is null", ValidWorkflow.WithTask(t => t["task_env"] = new JsonObject { ["A"] = null }));
        Create("init_image is a number", ValidWorkflow.WithTask(t => t["init_image"] = 1));
        Create("init_args is null", ValidWorkflow.WithTask(t => t["init_args"] = null));
        Create("init_env is a string", ValidWorkflow.WithTask(t => t["init_env"] = "A=1"));
        Create("too many tasks", ValidWorkflow.With(b =>
            b["tasks"] = new JsonArray([.. Enumerable.Range(0, 1001).Select(_ => (JsonNode)ValidWorkflow.Task())])));

        // worker_config: exactly its six keys, each of its type.
        Create("worker_config extra key", ValidWorkflow.WithWorker(w => w["gpus"] = 1),
            "tasks[0].worker_config: unknown field 'gpus'", ErrorText.Exact);
        Create("worker_config is a list", ValidWorkflow.WithTask(t => t["worker_config"] = new JsonArray()));
        Create("worker_config is null", ValidWorkflow.WithTask(t => t["worker_config"] = null));
        foreach (var key in ValidWorkflow.Worker().Select(kv => kv.Key).ToList())
        {
            Create($"worker_config without {key}", ValidWorkflow.WithWorker(w => w.Remove(key)));
        }
        Create("n_cores is zero", ValidWorkflow.WithWorker(w => w["n_cores"] = 0));
        Create("n_cores is a string", ValidWorkflow.WithWorker(w => w["n_cores"] = "1"));
        Create("max_worker_runtime is a fraction", ValidWorkflow.WithWorker(w => w["max_worker_runtime"] = 0.5));
        Create("stdouterr flag is a string", ValidWorkflow.WithWorker(w => w["do_transfer_worker_stdouterr"] = "true"));
        Create("stdouterr flag is a number", ValidWorkflow.WithWorker(w => w["do_transfer_worker_stdouterr"] = 1));
        Create("worker_memory empty", ValidWorkflow.WithWorker(w => w["worker_memory"] = ""));
        Create("worker_disk is a number", ValidWorkflow.WithWorker(w => w["worker_disk"] = 1024));
        Create("worker priority is a fraction", ValidWorkflow.WithWorker(w => w["priority"] = 1.5));
        // Sizes the TMS cannot read, and worker counts it cannot submit, would kill it on every start.
        foreach (var (key, size) in new[] { ("worker_memory", "lots"), ("worker_memory", "G1"), ("worker_disk", "-1G"), ("worker_disk", "0") })
        {
            Create($"{key} '{size}'", ValidWorkflow.WithWorker(w => w[key] = size),
                $"tasks[0].worker_config.{key} must be a size: a number with an optional unit, as in 512M, 8 GB or 1.5GiB; '{size}' is not",
                ErrorText.Exact);
        }
        Create("n_workers is null", ValidWorkflow.WithTask(t => t["n_workers"] = null), "tasks[0].n_workers must be an integer", ErrorText.Prefix);
        Create("max_worker_runtime is zero", ValidWorkflow.WithWorker(w => w["max_worker_runtime"] = 0),
            "tasks[0].worker_config.max_worker_runtime must be at least 1", ErrorText.Exact);
        Create("n_cores is negative", ValidWorkflow.WithWorker(w => w["n_cores"] = -1),
            "tasks[0].worker_config.n_cores must be at least 1", ErrorText.Exact);

        // pilot_config: exactly its three keys; no reserved names; a tag that resolves.
        Create("pilot_config extra key", ValidWorkflow.WithPilot(p => p["image"] = "x"),
            "tasks[0].pilot_config: unknown field 'image'", ErrorText.Exact);
        Create("pilot_config is a string", ValidWorkflow.WithTask(t => t["pilot_config"] = "1.2.3"));
        Create("pilot_config is null", ValidWorkflow.WithTask(t => t["pilot_config"] = null));
        Create("pilot tag unknown", ValidWorkflow.WithPilot(p => p["tag"] = "9.9.9"));
        Create("pilot tag of another image", ValidWorkflow.WithPilot(p => p["tag"] = "dev-zzz999"));
        Create("pilot tag looks like a path", ValidWorkflow.WithPilot(p => p["tag"] = "../../etc/passwd"));
        Create("pilot tag with upper case", ValidWorkflow.WithPilot(p => p["tag"] = "LATEST"));
        Create("pilot tag empty", ValidWorkflow.WithPilot(p => p["tag"] = ""));
        Create("pilot tag is a number", ValidWorkflow.WithPilot(p => p["tag"] = 123));
        Create("pilot tag is null", ValidWorkflow.WithPilot(p => p["tag"] = null));
        Create("pilot environment is a list", ValidWorkflow.WithPilot(p => p["environment"] = new JsonArray("A=1")));
        Create("pilot environment value is an object", ValidWorkflow.WithPilot(p => p["environment"] = new JsonObject { ["A"] = new JsonObject() }));
        Create("pilot environment value is a boolean", ValidWorkflow.WithPilot(p => p["environment"] = new JsonObject { ["A"] = true }));
        Create("pilot environment value is a fraction", ValidWorkflow.WithPilot(p => p["environment"] = new JsonObject { ["A"] = 0.5 }));
        Create("pilot environment value is an empty list", ValidWorkflow.WithPilot(p => p["environment"] = new JsonObject { ["A"] = new JsonArray() }));
        Create("pilot environment list holds a number", ValidWorkflow.WithPilot(p => p["environment"] = new JsonObject { ["A"] = new JsonArray(1) }));
        Create("pilot input_files is a string", ValidWorkflow.WithPilot(p => p["input_files"] = "/a"));
        foreach (var name in ReservedNames)
        {
            Create($"reserved pilot environment {name}",
                ValidWorkflow.WithPilot(p => p["environment"] = new JsonObject { ["USER_VAR"] = "x", [name] = "mine" }),
                $"tasks[0].pilot_config.environment cannot include the attribute '{name}'.", ErrorText.Prefix);
        }
        Create("reserved name in the second task", ValidWorkflow.With(b =>
        {
            var second = ValidWorkflow.Task();
            second["pilot_config"]!["environment"] = new JsonObject { ["EWMS_PILOT_INIT_ARGS"] = "x" };
            ((JsonArray)b["tasks"]!).Add(second);
        }), "tasks[1].pilot_config.environment cannot include the attribute 'EWMS_PILOT_INIT_ARGS'.", ErrorText.Prefix);

        // Reading objects that are not there.
        void Missing(string name, string method, string path, string? body, string error, int status = 404) =>
            Add(name, new BadCase(method, path, body, status) { Error = error, Match = ErrorText.Exact });
        Missing("get workflow: unknown id", "GET", $"v0/workflows/{WorkflowId}", null, $"no workflow found with id: {WorkflowId}");
        Missing("get workflow: not an id", "GET", "v0/workflows/not-an-id", null, "no workflow found with id: not-an-id");
        Missing("get workflow: a task id", "GET", "v0/workflows/{td}", null, "no workflow found with id: {td}");
        Missing("get workflow: upper case id", "GET", $"v0/workflows/{WorkflowId.ToUpperInvariant()}", null,
            $"no workflow found with id: {WorkflowId.ToUpperInvariant()}");
        Missing("get workflow: non-ASCII id", "GET", "v0/workflows/WF-%E2%9C%93", null, "no workflow found with id: WF-✓");
        var longId = "WF-" + new string('a', 3000);
        Missing("get workflow: very long id", "GET", $"v0/workflows/{longId}", null, $"no workflow found with id: {longId}");
        Add("get workflow: path traversal", new BadCase("GET", "v0/workflows/..%2F..%2Fetc%2Fpasswd", null, 404)
        {
            Error = "no workflow found with id: ..",
            Match = ErrorText.Prefix,
        });
        Missing("get task directive: unknown id", "GET", $"v0/task-directives/{TaskId}", null, $"no task found with id: {TaskId}");
        Missing("get task directive: a workflow id", "GET", "v0/task-directives/{wf}", null, "no task found with id: {wf}");
        Missing("get task directive: very long id", "GET", $"v0/task-directives/TK-{new string('0', 2000)}", null,
            $"no task found with id: TK-{new string('0', 2000)}");
        Missing("get taskforce: unknown uuid", "GET", $"v0/taskforces/{Uuid}", null, $"no taskforce found with uuid: {Uuid}");
        Missing("get taskforce: a task id", "GET", "v0/taskforces/{td}", null, "no taskforce found with uuid: {td}");
        Add("get taskforce: traversal-looking uuid", new BadCase("GET", "v0/taskforces/TF-..%5C..%5Cwin.ini", null, 404)
        {
            Error = "no taskforce found with uuid: TF-..",
            Match = ErrorText.Prefix,
        });

        // Deactivation.
        foreach (var action in new[] { "abort", "finished" })
        {
            Missing($"{action}: unknown id", "POST", $"v0/workflows/{WorkflowId}/actions/{action}", "{}",
                $"no non-deactivated workflow found with workflow_id='{WorkflowId}'");
            Missing($"{action}: already aborted", "POST", $"v0/workflows/{{wf-aborted}}/actions/{action}", "{}",
                "no non-deactivated workflow found with workflow_id='{wf-aborted}'");
            Missing($"{action}: not an id", "POST", $"v0/workflows/x%20y/actions/{action}", null,
                "no non-deactivated workflow found with workflow_id='x y'");
            Add($"{action}: unknown body field", new BadCase("POST", $"v0/workflows/{{wf}}/actions/{action}", "{\"reason\": \"x\"}", 400));
            Add($"{action}: array body", new BadCase("POST", $"v0/workflows/{{wf}}/actions/{action}", "[]", 400));
            Add($"{action}: malformed body", new BadCase("POST", $"v0/workflows/{{wf}}/actions/{action}", "{", 400));
        }

        // Adding workers.
        const string addWorkers = "v0/task-directives/{td}/actions/add-workers";
        Missing("add-workers: unknown task", "POST", $"v0/task-directives/{TaskId}/actions/add-workers",
            "{\"cluster_location\": \"test-beta\", \"n_workers\": 2}", $"no task found with id: {TaskId}");
        Missing("add-workers: not a task id", "POST", "v0/task-directives/{wf}/actions/add-workers",
            "{\"cluster_location\": \"test-beta\", \"n_workers\": 2}", "no task found with id: {wf}");
        Missing("add-workers: unknown location", "POST", addWorkers,
            "{\"cluster_location\": \"test-omega\", \"n_workers\": 2}", "condor location not found: test-omega", 400);
        Add("add-workers: missing n_workers", new BadCase("POST", addWorkers, "{\"cluster_location\": \"test-beta\"}", 400));
        Add("add-workers: n_workers zero", new BadCase("POST", addWorkers, "{\"cluster_location\": \"test-beta\", \"n_workers\": 0}", 400));
        Add("add-workers: n_workers null", new BadCase("POST", addWorkers, "{\"cluster_location\": \"test-beta\", \"n_workers\": null}", 400));
        Add("add-workers: location is a list", new BadCase("POST", addWorkers, "{\"cluster_location\": [\"test-beta\"], \"n_workers\": 1}", 400));
        Add("add-workers: extra key", new BadCase("POST", addWorkers, "{\"cluster_location\": \"test-beta\", \"n_workers\": 1, \"priority\": 3}", 400));
        Add("add-workers: empty body", new BadCase("POST", addWorkers, "", 400));
        Add("add-workers: deactivated workflow", new BadCase("POST", "v0/task-directives/{td-aborted}/actions/add-workers",
            "{\"cluster_location\": \"test-beta\", \"n_workers\": 1}", 422));

        // The TMS: unknown taskforces and wrong phases.
        const string submitBody = "{\"cluster_id\": 5, \"n_workers\": 1, \"submit_dict\": {}, \"job_event_log_fpath\": \"/x.log\"}";
        Missing("condor-submit: unknown uuid", "POST", $"v0/tms/condor-submit/taskforces/{Uuid}", submitBody,
            $"no 'pending-starter' taskforce found with uuid: {Uuid}");
        Missing("condor-submit: not a uuid", "POST", "v0/tms/condor-submit/taskforces/{wf}", submitBody,
            "no 'pending-starter' taskforce found with uuid: {wf}");
        Missing("condor-submit: already submitted elsewhere", "POST", "v0/tms/condor-submit/taskforces/{tf-submitted}", submitBody,
            "no 'pending-starter' taskforce found with uuid: {tf-submitted}");
        // A taskforce stopped before it was ever submitted takes a late submit (its cluster must be removed):
        // AbortRacingSubmitTests.
        Missing("condor-submit failed: unknown uuid", "POST", $"v0/tms/condor-submit/taskforces/{Uuid}/failed", "{\"error\": \"x\"}",
            $"no 'pending-starter' taskforce found with uuid: {Uuid}");
        Missing("condor-submit failed: submitted taskforce", "POST", "v0/tms/condor-submit/taskforces/{tf-submitted}/failed",
            "{\"error\": \"x\"}", "no 'pending-starter' taskforce found with uuid: {tf-submitted}");
        Missing("condor-rm: unknown uuid", "POST", $"v0/tms/condor-rm/taskforces/{Uuid}", "{}", $"no taskforce found with uuid: {Uuid}");
        Missing("condor-rm failed: unknown uuid", "POST", $"v0/tms/condor-rm/taskforces/{Uuid}/failed", "{\"error\": \"x\"}",
            $"no taskforce found with uuid: {Uuid}");
        Missing("condor-complete: unknown uuid", "POST", $"v0/tms/condor-complete/taskforces/{Uuid}",
            "{\"condor_complete_ts\": 1700000000}", $"no taskforce found with uuid: {Uuid}");
        Missing("condor-complete: very long uuid", "POST", $"v0/tms/condor-complete/taskforces/TF-{new string('f', 1500)}",
            "{\"condor_complete_ts\": 1700000000}", $"no taskforce found with uuid: TF-{new string('f', 1500)}");

        // The TMS: malformed bodies about real taskforces.
        void Tms(string name, string path, string? body) => Add(name, new BadCase("POST", path, body, 400));
        const string submit = "v0/tms/condor-submit/taskforces/{tf}";
        Tms("condor-submit: empty body", submit, "");
        Tms("condor-submit: array body", submit, "[]");
        Tms("condor-submit: missing cluster_id", submit, "{\"n_workers\": 1, \"submit_dict\": {}, \"job_event_log_fpath\": \"/x\"}");
        Tms("condor-submit: cluster_id is a string", submit, "{\"cluster_id\": \"5\", \"n_workers\": 1, \"submit_dict\": {}, \"job_event_log_fpath\": \"/x\"}");
        Tms("condor-submit: cluster_id is a fraction", submit, "{\"cluster_id\": 5.5, \"n_workers\": 1, \"submit_dict\": {}, \"job_event_log_fpath\": \"/x\"}");
        Tms("condor-submit: missing n_workers", submit, "{\"cluster_id\": 5, \"submit_dict\": {}, \"job_event_log_fpath\": \"/x\"}");
        Tms("condor-submit: n_workers is a string", submit, "{\"cluster_id\": 5, \"n_workers\": \"1\", \"submit_dict\": {}, \"job_event_log_fpath\": \"/x\"}");
        Tms("condor-submit: submit_dict is a list", submit, "{\"cluster_id\": 5, \"n_workers\": 1, \"submit_dict\": [], \"job_event_log_fpath\": \"/x\"}");
        Tms("condor-submit: submit_dict value is a list", submit, "{\"cluster_id\": 5, \"n_workers\": 1, \"submit_dict\": {\"a\": [\"b\"]}, \"job_event_log_fpath\": \"/x\"}");
        Tms("condor-submit: submit_dict value is a boolean", submit, "{\"cluster_id\": 5, \"n_workers\": 1, \"submit_dict\": {\"a\": true}, \"job_event_log_fpath\": \"/x\"}");
        Tms("condor-submit: submit_dict value is null", submit, "{\"cluster_id\": 5, \"n_workers\": 1, \"submit_dict\": {\"a\": null}, \"job_event_log_fpath\": \"/x\"}");
        Tms("condor-submit: submit_dict value is a fraction", submit, "{\"cluster_id\": 5, \"n_workers\": 1, \"submit_dict\": {\"a\": 0.5}, \"job_event_log_fpath\": \"/x\"}");
        Tms("condor-submit: event log is a number", submit, "{\"cluster_id\": 5, \"n_workers\": 1, \"submit_dict\": {}, \"job_event_log_fpath\": 1}");
        Tms("condor-submit: extra key", submit, "{\"cluster_id\": 5, \"n_workers\": 1, \"submit_dict\": {}, \"job_event_log_fpath\": \"/x\", \"schedd\": \"s\"}");
        Tms("condor-submit: duplicate key", submit, "{\"cluster_id\": 5, \"cluster_id\": 6, \"n_workers\": 1, \"submit_dict\": {}, \"job_event_log_fpath\": \"/x\"}");
        Tms("condor-submit failed: error is a number", submit + "/failed", "{\"error\": 3}");
        Tms("condor-submit failed: error is null", submit + "/failed", "{\"error\": null}");
        Tms("condor-submit failed: extra key", submit + "/failed", "{\"error\": \"x\", \"code\": 1}");
        Tms("condor-rm: non-empty body", "v0/tms/condor-rm/taskforces/{tf-submitted}", "{\"cluster_id\": 9001}");
        Tms("condor-rm: string body", "v0/tms/condor-rm/taskforces/{tf-submitted}", "\"rm\"");
        Tms("condor-rm failed: error is a list", "v0/tms/condor-rm/taskforces/{tf-submitted}/failed", "{\"error\": [\"x\"]}");
        const string complete = "v0/tms/condor-complete/taskforces/{tf-submitted}";
        Tms("condor-complete: ts is a string", complete, "{\"condor_complete_ts\": \"1700000000\"}");
        Tms("condor-complete: ts is a fraction", complete, "{\"condor_complete_ts\": 1700000000.5}");
        Tms("condor-complete: ts is null", complete, "{\"condor_complete_ts\": null}");
        Tms("condor-complete: ts missing", complete, "{}");
        Tms("condor-complete: ts out of range", complete, "{\"condor_complete_ts\": 1e30}");
        Tms("condor-complete: extra key", complete, "{\"condor_complete_ts\": 1700000000, \"cluster_id\": 1}");

        // Bulk statuses: all of it is checked before any of it is applied.
        const string statuses = "v0/tms/statuses/taskforces";
        Tms("statuses: empty object", statuses, "{}");
        Tms("statuses: both maps empty", statuses, "{\"top_task_errors_by_taskforce\": {}, \"compound_statuses_by_taskforce\": {}}");
        Tms("statuses: error counts empty, statuses absent", statuses, "{\"top_task_errors_by_taskforce\": {}}");
        Tms("statuses: unknown key", statuses, "{\"statuses\": {\"{tf}\": {}}}");
        Tms("statuses: map is a list", statuses, "{\"top_task_errors_by_taskforce\": [\"{tf}\"]}");
        Tms("statuses: error count is a string", statuses, "{\"top_task_errors_by_taskforce\": {\"{tf}\": {\"boom\": \"3\"}}}");
        Tms("statuses: error count is a fraction", statuses, "{\"top_task_errors_by_taskforce\": {\"{tf}\": {\"boom\": 1.5}}}");
        Tms("statuses: error count is null", statuses, "{\"top_task_errors_by_taskforce\": {\"{tf}\": {\"boom\": null}}}");
        Tms("statuses: errors are a number", statuses, "{\"top_task_errors_by_taskforce\": {\"{tf}\": 3}}");
        Tms("statuses: compound count is a string", statuses, "{\"compound_statuses_by_taskforce\": {\"{tf}\": {\"RUNNING\": {\"null\": \"2\"}}}}");
        Tms("statuses: compound status is a number", statuses, "{\"compound_statuses_by_taskforce\": {\"{tf}\": {\"RUNNING\": 2}}}");
        Tms("statuses: compound is a list", statuses, "{\"compound_statuses_by_taskforce\": {\"{tf}\": [\"RUNNING\"]}}");
        Tms("statuses: one good, one bad", statuses,
            "{\"top_task_errors_by_taskforce\": {\"{tf}\": {\"ok\": 1}, \"{tf-submitted}\": {\"bad\": true}}}");
        Tms("statuses: good errors, bad compound", statuses,
            "{\"top_task_errors_by_taskforce\": {\"{tf}\": {\"ok\": 1}}, \"compound_statuses_by_taskforce\": {\"{tf}\": {\"RUNNING\": {\"x\": []}}}}");
        Tms("statuses: depth bomb", statuses,
            "{\"top_task_errors_by_taskforce\": {\"{tf}\": {\"e\": " + new string('[', 5000) + new string(']', 5000) + "}}}");

        // The TMS's polls.
        void Poll(string name, string query) =>
            Add(name, new BadCase("GET", "v0/tms/pending-starter/taskforces" + query, null, 400));
        Poll("pending-starter: no arguments", "");
        Poll("pending-starter: no schedd", "?collector=COLLECTOR1");
        Poll("pending-starter: no collector", "?schedd=SCHEDD1");
        Poll("pending-starter: empty schedd", "?collector=COLLECTOR1&schedd=");
        Poll("pending-starter: collector twice", "?collector=COLLECTOR1&collector=COLLECTOR2&schedd=SCHEDD1");
        Add("pending-stopper: no schedd", new BadCase("GET", "v0/tms/pending-stopper/taskforces?collector=COLLECTOR1", null, 400));
        Add("pending-stopper: no arguments", new BadCase("GET", "v0/tms/pending-stopper/taskforces", null, 400));

        // Finding.
        void Find(string name, string kind, string body) => Add(name, new BadCase("POST", $"v0/query/{kind}", body, 400));
        Find("find workflows: $where", "workflows", "{\"query\": {\"$where\": \"this.priority > 1\"}}");
        Find("find workflows: $expr", "workflows", "{\"query\": {\"$expr\": {\"$gt\": [\"$priority\", 1]}}}");
        Find("find workflows: $expr on a field", "workflows", "{\"query\": {\"priority\": {\"$expr\": 1}}}");
        Find("find workflows: $regex", "workflows", "{\"query\": {\"workflow_id\": {\"$regex\": \"^WF\"}}}");
        Find("find workflows: unknown operator", "workflows", "{\"query\": {\"priority\": {\"$near\": 1}}}");
        Find("find workflows: unknown top-level operator", "workflows", "{\"query\": {\"$text\": {\"$search\": \"x\"}}}");
        Find("find workflows: $not at the top", "workflows", "{\"query\": {\"$not\": {\"priority\": 1}}}");
        Find("find workflows: field operator at the top", "workflows", "{\"query\": {\"$gt\": 1}}");
        Find("find workflows: empty $and", "workflows", "{\"query\": {\"$and\": []}}");
        Find("find workflows: $or of a non-object", "workflows", "{\"query\": {\"$or\": [1]}}");
        Find("find workflows: $and inside a field", "workflows", "{\"query\": {\"priority\": {\"$and\": [{}]}}}");
        Find("find workflows: $in of a number", "workflows", "{\"query\": {\"priority\": {\"$in\": 5}}}");
        Find("find workflows: $exists of a string", "workflows", "{\"query\": {\"priority\": {\"$exists\": \"yes\"}}}");
        Find("find workflows: operators mixed with keys", "workflows", "{\"query\": {\"priority\": {\"$gt\": 1, \"a\": 2}}}");
        Find("find workflows: empty field name", "workflows", "{\"query\": {\"\": 1}}");
        Find("find workflows: empty path segment", "workflows", "{\"query\": {\"a..b\": 1}}");
        Find("find workflows: nesting past the limit", "workflows", "{\"query\": " + NestedAnd(40) + "}");
        Find("find workflows: too many conditions", "workflows",
            "{\"query\": {\"$or\": [" + string.Join(",", Enumerable.Range(0, 1500).Select(i => $"{{\"priority\": {i}}}")) + "]}}");
        Find("find workflows: missing query", "workflows", "{\"projection\": [\"workflow_id\"]}");
        Find("find workflows: query is a list", "workflows", "{\"query\": []}");
        Find("find workflows: query is null", "workflows", "{\"query\": null}");
        Find("find workflows: query is a string", "workflows", "{\"query\": \"priority > 1\"}");
        Find("find workflows: extra key", "workflows", "{\"query\": {}, \"limit\": 10}");
        Find("find workflows: empty body", "workflows", "");
        Find("find task directives: $where", "task-directives", "{\"query\": {\"$where\": \"1\"}}");
        Find("find task directives: projection is a string", "task-directives", "{\"query\": {}, \"projection\": \"task_id\"}");
        Find("find task directives: empty projection", "task-directives", "{\"query\": {}, \"projection\": []}");
        Find("find task directives: projection of a number", "task-directives", "{\"query\": {}, \"projection\": [1]}");
        Find("find taskforces: $regex", "taskforces", "{\"query\": {\"schedd\": {\"$regex\": \".*\"}}}");
        Find("find taskforces: projection repeats", "taskforces", "{\"query\": {}, \"projection\": [\"phase\", \"phase\"]}");
        Find("find taskforces: projection empty name", "taskforces", "{\"query\": {}, \"projection\": [\"\"]}");
        Find("find taskforces: projection empty segment", "taskforces", "{\"query\": {}, \"projection\": [\"pilot_config..tag\"]}");
        Find("find taskforces: projection is an object", "taskforces", "{\"query\": {}, \"projection\": {\"phase\": 1}}");
        Find("find taskforces: $ne without a field", "taskforces", "{\"query\": {\"$ne\": null}}");

        // Methods and routes that do not exist.
        Add("method: PUT on workflows", new BadCase("PUT", Workflows, valid, 405));
        Add("method: DELETE a workflow", new BadCase("DELETE", "v0/workflows/{wf}", null, 405));
        Add("method: GET a query", new BadCase("GET", "v0/query/workflows", null, 405));
        Add("route: unknown path", new BadCase("GET", "v0/workflow", null, 404));
        Add("route: unknown action", new BadCase("POST", "v0/workflows/{wf}/actions/pause", "{}", 404));
        return cases;
    }

    private static string NestedAnd(int depth) =>
        string.Concat(Enumerable.Repeat("{\"$and\": [", depth)) + "{\"priority\": 1}" +
        string.Concat(Enumerable.Repeat("]}", depth));
}
