using System.Text.Json.Nodes;

namespace Wms.Testing.Tests;

public class V1SchemaTests
{
    private const string Taskforce = "/v1/taskforces/" + Samples.TaskforceUuid;
    private const string Starter = "/v1/tms/pending-starter/taskforces?schedd=SCHEDD1";
    private const string Stopper = "/v1/tms/pending-stopper/taskforces?schedd=SCHEDD1";
    private const string NextAfter = "65f0c0ffee0123456789abcd";

    private static readonly Dictionary<string, (string Method, string Path, int Status, Func<JsonNode> Body)> Answers = new()
    {
        ["root"] = ("GET", "/v1/", 200, () => new JsonObject()),
        ["openapi"] = ("GET", "/v1/schema/openapi", 200, () => JsonNode.Parse("""{"openapi": "3.1.0", "paths": {}}""")!),
        ["create workflow"] = ("POST", "/v1/workflows", 200, () => new JsonObject
        {
            ["workflow"] = Samples.V1Workflow(),
            ["task_directives"] = new JsonArray(Samples.V1TaskDirective()),
            ["taskforces"] = new JsonArray(Samples.V1Taskforce(phase: "pre-mq-activation")),
        }),
        ["get workflow"] = ("GET", "/v1/workflows/" + Samples.WorkflowId, 200, Samples.V1Workflow),
        ["get aborted workflow"] = ("GET", "/v1/workflows/" + Samples.WorkflowId, 200, () => Change(Samples.V1Workflow(), w =>
        {
            w["deactivated"] = "ABORTED";
            w["deactivated_ts"] = 1732640000.5;
        })),
        ["abort"] = ("POST", $"/v1/workflows/{Samples.WorkflowId}/actions/abort", 200, Deactivated),
        ["finished"] = ("POST", $"/v1/workflows/{Samples.WorkflowId}/actions/finished", 200, Deactivated),
        ["get task directive"] = ("GET", "/v1/task-directives/" + Samples.TaskId, 200, Samples.V1TaskDirective),
        ["add workers"] = ("POST", $"/v1/task-directives/{Samples.TaskId}/actions/add-workers", 200, () => Change(
            Samples.V1Taskforce(phase: "pre-mq-activation"), t => t["priority"] = 200)),
        ["get taskforce"] = ("GET", Taskforce, 200, () => Samples.V1Taskforce()),
        ["get submitted taskforce"] = ("GET", Taskforce, 200, () => Change(Samples.V1Taskforce(phase: "condor-submit"), t =>
        {
            t["cluster_id"] = 10001;
            t["job_event_log_fpath"] = "/scratch/ewms/2026-05-04.tms.jel";
            t["submit_dict"] = JsonNode.Parse("""{"request_cpus": "2", "priority": 50, "+OriginalTime": 86400}""");
            t["worker_config"]!["worker_disk"] = 1_073_741_824;
            t["compound_statuses"] = JsonNode.Parse("""{"RUNNING": {"Tasking": 3, "null": 1}}""");
            t["top_task_errors"] = JsonNode.Parse("""{"HELD: Memory usage exceeds a memory limit": 2}""");
        })),
        ["find workflows"] = ("POST", "/v1/query/workflows", 200, () => new JsonObject
        {
            ["workflows"] = new JsonArray(new JsonObject { ["workflow_id"] = Samples.WorkflowId }),
            ["next_after"] = NextAfter,
        }),
        ["find task directives"] = ("POST", "/v1/query/task-directives", 200, () => new JsonObject
        {
            ["task_directives"] = new JsonArray(),
            ["next_after"] = null,
        }),
        ["find taskforces"] = ("POST", "/v1/query/taskforces", 200, () => new JsonObject
        {
            ["taskforces"] = new JsonArray(new JsonObject { ["taskforce_uuid"] = Samples.TaskforceUuid, ["cluster_id"] = null }),
            ["next_after"] = null,
        }),
        ["starter offer"] = ("GET", Starter, 200, Samples.PendingStarterAnswer),
        ["starter offer without queues"] = ("GET", Starter, 200, () => Change(Samples.PendingStarterAnswer(), a =>
        {
            a["mqprofiles"] = new JsonArray();
            a["task_directive"]!["input_queues"] = new JsonArray();
            a["task_directive"]!["output_queues"] = new JsonArray();
        })),
        ["starter nothing"] = ("GET", Starter, 200, () => new JsonObject()),
        ["stopper offer"] = ("GET", Stopper, 200, () => Change(Samples.V1Taskforce(phase: "pending-stopper"), t => t["cluster_id"] = 77)),
        ["stopper nothing"] = ("GET", Stopper, 200, () => new JsonObject()),
        ["submit"] = ("POST", $"/v1/tms/condor-submit/taskforces/{Samples.TaskforceUuid}", 200, Uuid),
        ["submit failed"] = ("POST", $"/v1/tms/condor-submit/taskforces/{Samples.TaskforceUuid}/failed", 200, Uuid),
        ["rm"] = ("POST", $"/v1/tms/condor-rm/taskforces/{Samples.TaskforceUuid}", 200, Uuid),
        ["rm failed"] = ("POST", $"/v1/tms/condor-rm/taskforces/{Samples.TaskforceUuid}/failed", 200, Uuid),
        ["complete"] = ("POST", $"/v1/tms/condor-complete/taskforces/{Samples.TaskforceUuid}", 200, Uuid),
        ["statuses"] = ("POST", "/v1/tms/statuses/taskforces", 200, () => JsonNode.Parse(
            """{"results": [{"uuid": "TF-1", "status": "updated"}]}""")!),
        ["statuses partly"] = ("POST", "/v1/tms/statuses/taskforces", 207, () => JsonNode.Parse(
            """{"results": [{"uuid": "TF-1", "status": "failed", "error": "no taskforce found with uuid"}]}""")!),
        ["no workflow"] = ("GET", "/v1/workflows/WF-1", 404, () => Error(404, "no workflow found with id: WF-1")),
        ["bad workflow"] = ("POST", "/v1/workflows", 400, () => Error(400, "condor cluster location not found: mars")),
        ["add workers deactivated"] = ("POST", $"/v1/task-directives/{Samples.TaskId}/actions/add-workers", 422,
            () => Error(422, $"cannot add a taskforce to a deactivated workflow ({Samples.WorkflowId})")),
        ["no taskforce to submit"] = ("POST", $"/v1/tms/condor-submit/taskforces/TF-1", 404,
            () => Error(404, "no 'pending-starter' taskforce found with uuid: TF-1")),
    };

    private static readonly Dictionary<string, (string Method, string Path, Func<JsonNode> Body)> Requests = new()
    {
        ["create workflow"] = ("POST", "/v1/workflows", WorkflowRequest),
        ["add workers"] = ("POST", $"/v1/task-directives/{Samples.TaskId}/actions/add-workers", () => new JsonObject
        {
            ["cluster_location"] = "test-beta",
            ["n_workers"] = 5,
        }),
        ["find a page"] = ("POST", "/v1/query/taskforces", () => new JsonObject
        {
            ["query"] = new JsonObject { ["phase"] = new JsonObject { ["$ne"] = "condor-complete" } },
            ["projection"] = new JsonArray("taskforce_uuid"),
            ["after"] = NextAfter,
        }),
        ["submit"] = ("POST", $"/v1/tms/condor-submit/taskforces/{Samples.TaskforceUuid}", () => JsonNode.Parse(
            """{"cluster_id": 10001, "n_workers": 3, "submit_dict": {"request_cpus": "2", "priority": 50}, "job_event_log_fpath": "/x.tms.jel"}""")!),
        ["submit failed"] = ("POST", $"/v1/tms/condor-submit/taskforces/{Samples.TaskforceUuid}/failed", () => new JsonObject { ["error"] = "boom" }),
        ["rm failed without error"] = ("POST", $"/v1/tms/condor-rm/taskforces/{Samples.TaskforceUuid}/failed", () => new JsonObject()),
        ["complete"] = ("POST", $"/v1/tms/condor-complete/taskforces/{Samples.TaskforceUuid}", () => new JsonObject { ["condor_complete_ts"] = 1732640000 }),
        ["statuses"] = ("POST", "/v1/tms/statuses/taskforces", () => JsonNode.Parse(
            """{"compound_statuses_by_taskforce": {"TF-1": {"RUNNING": {"null": 1}}}}""")!),
    };

    private readonly V1Schema _schema = V1Schema.Shared;

    public static TheoryData<string> AnswerNames => new(Answers.Keys);

    public static TheoryData<string> RequestNames => new(Requests.Keys);

    [Theory]
    [MemberData(nameof(AnswerNames))]
    public void A_good_answer_is_valid(string name)
    {
        var (method, path, status, body) = Answers[name];

        Assert.Empty(_schema.ValidateResponse(method, path, status, body()));
    }

    [Theory]
    [MemberData(nameof(RequestNames))]
    public void A_good_request_is_valid(string name)
    {
        var (method, path, body) = Requests[name];

        Assert.Empty(_schema.ValidateRequest(method, path, body()));
    }

    [Theory]
    // The /v0 shapes that /v1 changed.
    [InlineData("log item says description", "$.phase_change_log[0].description")]
    [InlineData("no condor_requirements", "condor_requirements")]
    [InlineData("no image_source", "image_source")]
    [InlineData("no priority", "priority")]
    [InlineData("no collector", "collector")]
    [InlineData("pilot_config extra key", "$.pilot_config.surprise")]
    [InlineData("worker_config extra key", "$.worker_config.surprise")]
    [InlineData("unknown image_source", "$.pilot_config.image_source")]
    [InlineData("worker_disk is boolean", "$.worker_config.worker_disk")]
    [InlineData("priority is text", "$.priority")]
    public void A_taskforce_outside_v1_is_a_violation(string change, string expected)
    {
        var taskforce = Samples.V1Taskforce();
        var log = (JsonObject)taskforce["phase_change_log"]![0]!;
        var pilot = (JsonObject)taskforce["pilot_config"]!;
        var worker = (JsonObject)taskforce["worker_config"]!;
        Action apply = change switch
        {
            "log item says description" => () => log["description"] = log["context"]!.DeepClone(),
            "no condor_requirements" => () => worker.Remove("condor_requirements"),
            "no image_source" => () => pilot.Remove("image_source"),
            "no priority" => () => taskforce.Remove("priority"),
            "no collector" => () => taskforce.Remove("collector"),
            "pilot_config extra key" => () => pilot["surprise"] = 1,
            "worker_config extra key" => () => worker["surprise"] = 1,
            "unknown image_source" => () => pilot["image_source"] = "docker",
            "worker_disk is boolean" => () => worker["worker_disk"] = true,
            "priority is text" => () => taskforce["priority"] = "high",
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        apply();

        var violations = _schema.ValidateResponse("GET", Taskforce, 200, taskforce);

        Assert.Contains(violations, v => v.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_v0_taskforce_is_not_a_v1_taskforce()
    {
        Assert.NotEmpty(_schema.ValidateResponse("GET", Taskforce, 200, Samples.Taskforce()));
    }

    [Fact]
    public void A_find_may_project_fields_away_but_a_whole_object_may_not()
    {
        var projected = new JsonObject { ["taskforce_uuid"] = Samples.TaskforceUuid };
        var found = new JsonObject { ["taskforces"] = new JsonArray(projected.DeepClone()), ["next_after"] = null };

        Assert.Empty(_schema.ValidateResponse("POST", "/v1/query/taskforces", 200, found));
        Assert.NotEmpty(_schema.ValidateResponse("GET", Taskforce, 200, projected));
        Assert.NotEmpty(_schema.ValidateAgainst(V1Schema.WholeTaskforceObject, projected));
    }

    [Theory]
    [InlineData("mq_activated_ts", "$.mq_activated_ts")]
    [InlineData("_mq_activation_retry_at_ts", "$._mq_activation_retry_at_ts")]
    public void A_workflow_with_v0_activation_fields_is_a_violation(string field, string expected)
    {
        var workflow = Samples.V1Workflow();
        workflow[field] = 1732636900.0;

        Assert.Contains(expected, Assert.Single(_schema.ValidateResponse("GET", "/v1/workflows/WF-1", 200, workflow)));
    }

    [Theory]
    [InlineData("task_env")]
    [InlineData("init_image")]
    [InlineData("init_args")]
    [InlineData("init_env")]
    public void A_task_directive_without_a_v1_field_is_a_violation(string field)
    {
        var directive = Samples.V1TaskDirective();
        directive.Remove(field);

        Assert.Contains(field, Assert.Single(_schema.ValidateResponse("GET", "/v1/task-directives/TK-1", 200, directive)));
    }

    [Fact]
    public void Task_env_values_are_strings()
    {
        var directive = Samples.V1TaskDirective();
        directive["task_env"]!["THREADS"] = 4;

        Assert.Contains("$.task_env.THREADS", Assert.Single(_schema.ValidateAgainst("#/components/schemas/TaskDirectiveObject", directive)));
    }

    [Theory]
    [InlineData("no next_after", "next_after")]
    [InlineData("next_after is a number", "$.next_after")]
    [InlineData("extra key", "$.total")]
    public void A_find_answer_outside_v1_is_a_violation(string change, string expected)
    {
        var found = new JsonObject { ["taskforces"] = new JsonArray(), ["next_after"] = null };
        Action apply = change switch
        {
            "no next_after" => () => found.Remove("next_after"),
            "next_after is a number" => () => found["next_after"] = 42,
            "extra key" => () => found["total"] = 0,
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        apply();

        var violations = _schema.ValidateResponse("POST", "/v1/query/taskforces", 200, found);

        Assert.Contains(expected, string.Join(" ", violations), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a bare taskforce, as /v0 answers")]
    [InlineData("an extra top-level key")]
    [InlineData("no mqprofiles")]
    [InlineData("a profile without auth_token")]
    [InlineData("a profile with a null auth_token")]
    [InlineData("a profile with an unknown key")]
    [InlineData("a taskforce without n_workers")]
    [InlineData("a taskforce with null n_workers")]
    [InlineData("a taskforce in another phase")]
    [InlineData("a task directive without init_env")]
    [InlineData("a v0 taskforce")]
    public void A_pending_starter_answer_outside_v1_is_a_violation(string change)
    {
        var answer = Samples.PendingStarterAnswer();
        var profile = (JsonObject)answer["mqprofiles"]![0]!;
        var taskforce = (JsonObject)answer["taskforce"]!;
        Action apply = change switch
        {
            "a bare taskforce, as /v0 answers" => () => answer = Samples.V1Taskforce(),
            "an extra top-level key" => () => answer["workflow"] = Samples.V1Workflow(),
            "no mqprofiles" => () => answer.Remove("mqprofiles"),
            "a profile without auth_token" => () => profile.Remove("auth_token"),
            "a profile with a null auth_token" => () => profile["auth_token"] = null,
            "a profile with an unknown key" => () => profile["ttl"] = 3600,
            "a taskforce without n_workers" => () => taskforce.Remove("n_workers"),
            "a taskforce with null n_workers" => () => taskforce["n_workers"] = null,
            "a taskforce in another phase" => () => taskforce["phase"] = "pre-launch",
            "a task directive without init_env" => () => answer["task_directive"]!.AsObject().Remove("init_env"),
            "a v0 taskforce" => () => answer["taskforce"] = Samples.Taskforce(),
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        apply();

        Assert.NotEmpty(_schema.ValidateResponse("GET", Starter, 200, answer));
    }

    [Theory]
    [InlineData("cluster_id", null)]
    [InlineData("phase", "condor-submit")]
    public void A_pending_stopper_answer_must_name_a_cluster_to_remove(string field, string? value)
    {
        var taskforce = Samples.V1Taskforce(phase: "pending-stopper");
        taskforce["cluster_id"] = 77;
        taskforce[field] = value;

        Assert.NotEmpty(_schema.ValidateResponse("GET", Stopper, 200, taskforce));
    }

    [Fact]
    public void A_profile_is_checked_on_its_own()
    {
        Assert.Empty(_schema.ValidateAgainst(V1Schema.MqProfileObject, Samples.MqProfile("MQ-1")));
        Assert.Empty(_schema.ValidateAgainst(V1Schema.MqProfileObject, JsonNode.Parse(
            """{"mqid": "MQ-1", "auth_token": "t", "broker_type": "rabbitmq", "broker_address": "b"}""")));
        Assert.NotEmpty(_schema.ValidateAgainst(V1Schema.MqProfileObject, new JsonObject { ["mqid"] = "MQ-1" }));
    }

    [Theory]
    [InlineData("add workers without n_workers")]
    [InlineData("submit failed with an extra key")]
    [InlineData("complete with a fractional time")]
    [InlineData("workflow task without condor_requirements")]
    [InlineData("workflow task with a three-key pilot_config")]
    [InlineData("find with a numeric after")]
    public void A_request_outside_v1_is_a_violation(string change)
    {
        var (path, body) = change switch
        {
            "add workers without n_workers" => ($"/v1/task-directives/{Samples.TaskId}/actions/add-workers",
                (JsonNode)new JsonObject { ["cluster_location"] = "test-beta" }),
            "submit failed with an extra key" => ($"/v1/tms/condor-submit/taskforces/{Samples.TaskforceUuid}/failed",
                new JsonObject { ["error"] = "x", ["code"] = 1 }),
            "complete with a fractional time" => ($"/v1/tms/condor-complete/taskforces/{Samples.TaskforceUuid}",
                new JsonObject { ["condor_complete_ts"] = 1732640000.5 }),
            "workflow task without condor_requirements" => ("/v1/workflows",
                Change(WorkflowRequest(), r => r["tasks"]![0]!["worker_config"]!.AsObject().Remove("condor_requirements"))),
            "workflow task with a three-key pilot_config" => ("/v1/workflows",
                Change(WorkflowRequest(), r => r["tasks"]![0]!["pilot_config"]!.AsObject().Remove("image_source"))),
            "find with a numeric after" => ("/v1/query/taskforces",
                new JsonObject { ["query"] = new JsonObject(), ["after"] = 7 }),
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };

        Assert.NotEmpty(_schema.ValidateRequest("POST", path, body));
    }

    [Theory]
    [InlineData("GET", "/v1/workflows/WF-1", 500)]
    [InlineData("GET", "/v1/tms/pending-starter/taskforces?schedd=S", 404)]
    [InlineData("POST", "/v1/tms/condor-complete/taskforces/TF-1", 422)]
    public void An_undocumented_status_is_a_violation(string method, string path, int status)
    {
        Assert.Contains("not documented", Assert.Single(_schema.ValidateResponse(method, path, status, Error(status, "x"))));
    }

    [Fact]
    public void An_error_answer_must_carry_code_and_error()
    {
        Assert.NotEmpty(_schema.ValidateResponse("GET", "/v1/taskforces/TF-1", 404, JsonNode.Parse("""{"error": "x"}""")));
    }

    [Fact]
    public void The_path_sets_are_the_upstream_documents_whole()
    {
        string[] v1 =
        [
            "/v1/", "/v1/query/task-directives", "/v1/query/taskforces", "/v1/query/workflows", "/v1/schema/openapi",
            "/v1/task-directives/{task_id}", "/v1/task-directives/{task_id}/actions/add-workers", "/v1/taskforces/{taskforce_uuid}",
            "/v1/tms/condor-complete/taskforces/{taskforce_uuid}", "/v1/tms/condor-rm/taskforces/{taskforce_uuid}",
            "/v1/tms/condor-rm/taskforces/{taskforce_uuid}/failed", "/v1/tms/condor-submit/taskforces/{taskforce_uuid}",
            "/v1/tms/condor-submit/taskforces/{taskforce_uuid}/failed", "/v1/tms/pending-starter/taskforces",
            "/v1/tms/pending-stopper/taskforces", "/v1/tms/statuses/taskforces", "/v1/workflows", "/v1/workflows/{workflow_id}",
            "/v1/workflows/{workflow_id}/actions/abort", "/v1/workflows/{workflow_id}/actions/finished",
        ];

        Assert.Equal(v1, V1Schema.Paths);
        Assert.Equal(v1.Select(p => p.Replace("/v1/", "/v0/", StringComparison.Ordinal)).Where(p => !p.Contains("add-workers", StringComparison.Ordinal)), V0Schema.Paths);
    }

    [Fact]
    public void Operations_name_method_and_template()
    {
        Assert.Equal(20, _schema.Operations.Count);
        Assert.Contains("GET /v1/tms/pending-starter/taskforces", _schema.Operations);
        Assert.Contains("POST /v1/task-directives/{task_id}/actions/add-workers", _schema.Operations);
        Assert.Equal(19, V0Schema.Shared.Operations.Count);
    }

    [Fact]
    public void The_embedded_fixture_holds_structure_only()
    {
        using var stream = typeof(V1Schema).Assembly.GetManifestResourceStream("Wms.Testing.Fixtures.ewms-wms-v1-structure.json");
        Assert.NotNull(stream);
        var text = new StreamReader(stream).ReadToEnd();

        Assert.DoesNotContain("\"summary\"", text);
        Assert.DoesNotContain("\"title\"", text);
        Assert.DoesNotContain("\"description\"", text);
        Assert.DoesNotContain("\"deprecated\"", text);
        Assert.DoesNotContain("#/components/responses/", text);
        Assert.Contains("\"MQProfileObject\"", text);
    }

    private static JsonObject Deactivated() => new() { ["workflow_id"] = Samples.WorkflowId, ["n_taskforces"] = 2 };

    private static JsonObject Uuid() => new() { ["taskforce_uuid"] = Samples.TaskforceUuid };

    private static JsonObject Error(int code, string error) => new() { ["code"] = code, ["error"] = error };

    private static JsonObject WorkflowRequest() => new()
    {
        ["tasks"] = new JsonArray(new JsonObject
        {
            ["cluster_locations"] = new JsonArray("test-alpha"),
            ["task_image"] = "/cvmfs/example/images/reco:2.0",
            ["task_args"] = "--in {{INFILE}}",
            ["task_env"] = new JsonObject { ["ALPHA"] = "1" },
            ["init_image"] = "",
            ["init_args"] = "",
            ["init_env"] = new JsonObject(),
            ["input_queue_aliases"] = new JsonArray("in"),
            ["output_queue_aliases"] = new JsonArray("out"),
            ["pilot_config"] = Samples.V1Taskforce()["pilot_config"]!.DeepClone(),
            ["worker_config"] = Samples.V1Taskforce()["worker_config"]!.DeepClone(),
            ["n_workers"] = 3,
        }),
        ["public_queue_aliases"] = new JsonArray("out"),
        ["priority"] = 50,
    };

    private static JsonObject Change(JsonObject node, Action<JsonObject> change)
    {
        change(node);
        return node;
    }
}
