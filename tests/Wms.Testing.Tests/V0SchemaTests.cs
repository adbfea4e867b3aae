using System.Text.Json.Nodes;

namespace Wms.Testing.Tests;

public class V0SchemaTests
{
    private const string TaskforceSchema = "#/components/schemas/TaskforceObject";

    private readonly V0Schema _schema = V0Schema.Shared;

    [Fact]
    public void A_complete_taskforce_is_valid()
    {
        Assert.Empty(_schema.ValidateAgainst(TaskforceSchema, Samples.Taskforce()));
    }

    [Fact]
    public void A_submitted_taskforce_with_statuses_is_valid()
    {
        var taskforce = Samples.Taskforce(phase: "condor-submit");
        taskforce["cluster_id"] = 10001;
        taskforce["job_event_log_fpath"] = "/scratch/ewms/2024-11-26/tms-cluster-10001.log";
        taskforce["submit_dict"] = TmsSamples.SubmitDict(Samples.TaskforceUuid, "/scratch/ewms/x.log", taskforce);
        taskforce["compound_statuses"] = JsonNode.Parse("""{"RUNNING": {"Tasking": 3, "null": 1}, "IDLE": {"null": 5}}""");
        taskforce["top_task_errors"] = JsonNode.Parse("""{"HELD: Memory usage exceeds a memory limit": 2}""");

        Assert.Empty(_schema.ValidateAgainst(TaskforceSchema, taskforce));
    }

    [Theory]
    [InlineData("pilot_config")]
    [InlineData("worker_config")]
    public void An_extra_key_in_a_config_object_is_a_violation(string config)
    {
        var taskforce = Samples.Taskforce();
        taskforce[config]!.AsObject()["surprise"] = "x";

        var violation = Assert.Single(_schema.ValidateAgainst(TaskforceSchema, taskforce));
        Assert.Contains($"$.{config}.surprise", violation);
    }

    [Fact]
    public void A_missing_worker_config_key_is_a_violation()
    {
        var taskforce = Samples.Taskforce();
        taskforce["worker_config"]!.AsObject().Remove("n_cores");

        Assert.Contains("n_cores", Assert.Single(_schema.ValidateAgainst(TaskforceSchema, taskforce)));
    }

    [Fact]
    public void An_unknown_top_level_key_is_a_violation()
    {
        var taskforce = Samples.Taskforce();
        taskforce["_id"] = "65f0c0ffee";

        Assert.Single(_schema.ValidateAgainst(TaskforceSchema, taskforce));
    }

    [Fact]
    public void A_phase_outside_the_enum_is_a_violation()
    {
        var taskforce = Samples.Taskforce(phase: "running");

        Assert.Contains("$.phase", Assert.Single(_schema.ValidateAgainst(TaskforceSchema, taskforce)));
    }

    [Theory]
    [InlineData("n_workers", "\"3\"")]
    [InlineData("cluster_id", "1.5")]
    [InlineData("timestamp", "\"yesterday\"")]
    [InlineData("phase_change_log", "{}")]
    [InlineData("compound_statuses", "{\"RUNNING\": {\"Tasking\": \"3\"}}")]
    [InlineData("submit_dict", "{\"+WantIOProxy\": true}")]
    public void A_value_of_the_wrong_type_is_a_violation(string field, string json)
    {
        var taskforce = Samples.Taskforce();
        taskforce[field] = JsonNode.Parse(json);

        Assert.NotEmpty(_schema.ValidateAgainst(TaskforceSchema, taskforce));
    }

    [Theory]
    [InlineData("3", true)]
    [InlineData("3.0", true)]
    [InlineData("-7", true)]
    [InlineData("3.25", false)]
    [InlineData("1e3", true)]
    [InlineData("true", false)]
    public void An_integer_is_a_number_without_a_fractional_part(string json, bool valid)
    {
        var taskforce = Samples.Taskforce();
        taskforce["cluster_id"] = JsonNode.Parse(json);

        Assert.Equal(valid, _schema.ValidateAgainst(TaskforceSchema, taskforce).Count == 0);
    }

    [Theory]
    [InlineData("1.2.3", true)]
    [InlineData("latest", true)]
    [InlineData("main-1a2b3c4", true)]
    [InlineData("NotATag", false)]
    [InlineData("v1 2 3!", false)]
    public void The_pilot_tag_pattern_is_applied(string tag, bool valid)
    {
        var taskforce = Samples.Taskforce();
        taskforce["pilot_config"]!["tag"] = tag;

        var violations = _schema.ValidateAgainst(TaskforceSchema, taskforce);
        Assert.Equal(valid, violations.Count == 0);
        if (!valid)
        {
            Assert.Contains("pattern", Assert.Single(violations));
        }
    }

    [Fact]
    public void Properties_declared_on_the_phase_change_log_array_do_not_reject_its_entries()
    {
        // The source declares "properties"/"required" on the array itself; they must not apply to an array.
        var taskforce = Samples.Taskforce();
        taskforce["phase_change_log"]!.AsArray().Add(new JsonObject { ["anything"] = 1 });

        Assert.Empty(_schema.ValidateAgainst(TaskforceSchema, taskforce));
    }

    [Fact]
    public void A_ref_may_point_into_properties()
    {
        const string pointer = "#/components/schemas/TaskforceObject/properties/taskforce_uuid";

        Assert.Empty(_schema.ValidateAgainst(pointer, JsonValue.Create("TF-abc")));
        Assert.NotEmpty(_schema.ValidateAgainst(pointer, JsonValue.Create(42)));
    }

    [Fact]
    public void An_unknown_pointer_is_an_argument_error()
    {
        Assert.Throws<ArgumentException>(() => _schema.ValidateAgainst("#/components/schemas/Nope", null));
    }

    [Fact]
    public void Array_length_and_uniqueness_rules_are_applied()
    {
        var directive = JsonNode.Parse("""
            {"task_id": "TK-1", "workflow_id": "WF-1", "cluster_locations": [], "task_image": "img",
             "task_args": "", "timestamp": 1.5, "input_queues": ["a", "a"], "output_queues": []}
            """);

        var violations = _schema.ValidateAgainst("#/components/schemas/TaskDirectiveObject", directive);

        Assert.Equal(2, violations.Count);
        Assert.Contains(violations, v => v.Contains("cluster_locations", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("input_queues", StringComparison.Ordinal));
    }

    [Fact]
    public void The_error_body_is_valid_on_a_documented_404()
    {
        var body = JsonNode.Parse("""{"code": 404, "error": "no workflow found with id: WF-1"}""");

        Assert.Empty(_schema.ValidateResponse("GET", "/v0/workflows/WF-6745f0a1-1a2b3c4d", 404, body));
        Assert.NotEmpty(_schema.ValidateResponse("GET", "/v0/workflows/WF-1", 404, JsonNode.Parse("""{"error": "x"}""")));
    }

    [Theory]
    [InlineData("GET", "/v0/workflows/WF-1", 500)]
    [InlineData("GET", "/v0/", 404)]
    [InlineData("POST", "/v0/tms/statuses/taskforces", 404)]
    public void An_undocumented_status_is_a_violation(string method, string path, int status)
    {
        var body = JsonNode.Parse("""{"code": 500, "error": "Internal Server Error"}""");

        Assert.Contains("not documented", Assert.Single(_schema.ValidateResponse(method, path, status, body)));
    }

    [Fact]
    public void An_undocumented_operation_is_a_violation()
    {
        Assert.NotEmpty(_schema.ValidateResponse("DELETE", "/v0/workflows/WF-1", 200, new JsonObject()));
    }

    [Fact]
    public void Pending_starter_answers_either_a_taskforce_or_an_empty_object()
    {
        const string path = "/v0/tms/pending-starter/taskforces?collector=COLLECTOR1&schedd=SCHEDD1";

        Assert.Empty(_schema.ValidateResponse("GET", path, 200, new JsonObject()));
        Assert.Empty(_schema.ValidateResponse("GET", path, 200, Samples.Taskforce()));
        Assert.NotEmpty(_schema.ValidateResponse("GET", path, 200, new JsonObject { ["taskforce"] = null }));
    }

    [Fact]
    public void A_null_body_does_not_satisfy_an_object_schema()
    {
        Assert.NotEmpty(_schema.ValidateResponse("GET", "/v0/taskforces/TF-1", 200, null));
    }

    [Fact]
    public void Assert_valid_response_lists_every_violation()
    {
        var taskforce = Samples.Taskforce(phase: "bogus");
        taskforce["worker_config"]!["n_cores"] = "one";

        var error = Assert.Throws<SchemaViolationException>(
            () => _schema.AssertValidResponse("GET", "/v0/taskforces/TF-1", 200, taskforce));

        Assert.Equal(2, error.Violations.Count);
        Assert.Contains("GET /v0/taskforces/TF-1", error.Message);
    }

    [Fact]
    public void Statuses_request_quirk_items_on_an_object_is_ignored()
    {
        var body = new JsonObject
        {
            ["compound_statuses_by_taskforce"] = JsonNode.Parse("""{"TF-1": {"RUNNING": {"null": 1}}}"""),
            ["top_task_errors_by_taskforce"] = JsonNode.Parse("""{"TF-1": {"HELD: a. b": 2}}"""),
        };

        Assert.Empty(_schema.ValidateRequest("POST", "/v0/tms/statuses/taskforces", body));
    }

    [Fact]
    public void A_207_result_may_carry_an_error_but_a_200_result_may_not()
    {
        var body = JsonNode.Parse("""{"results": [{"uuid": "TF-1", "status": "failed", "error": "no taskforce found with uuid"}]}""");

        Assert.Empty(_schema.ValidateResponse("POST", "/v0/tms/statuses/taskforces", 207, body));
        Assert.NotEmpty(_schema.ValidateResponse("POST", "/v0/tms/statuses/taskforces", 200, body));
    }

    [Theory]
    [InlineData("GET", "/v0/taskforces/TF-abc", true, "/v0/taskforces/{taskforce_uuid}")]
    [InlineData("POST", "/v0/tms/condor-submit/taskforces/TF-abc/failed", true, "/v0/tms/condor-submit/taskforces/{taskforce_uuid}/failed")]
    [InlineData("get", "/v0/tms/pending-stopper/taskforces?collector=a&schedd=b", true, "/v0/tms/pending-stopper/taskforces")]
    [InlineData("GET", "http://127.0.0.1:5123/v0/workflows/WF-1", true, "/v0/workflows/{workflow_id}")]
    [InlineData("GET", "/v0/", true, "/v0/")]
    [InlineData("POST", "/v0/taskforces/TF-abc", false, "/v0/taskforces/{taskforce_uuid}")]
    [InlineData("GET", "/v0/taskforces", false, null)]
    [InlineData("GET", "/v0/taskforces/TF-abc/extra", false, null)]
    public void Concrete_paths_are_matched_against_templates(string method, string path, bool documented, string? template)
    {
        Assert.Equal(documented, _schema.IsDocumentedPath(method, path));
        Assert.Equal(template, _schema.MatchTemplate(path));
    }

    [Fact]
    public void Documented_statuses_are_listed()
    {
        Assert.Equal([200, 207, 400], _schema.DocumentedStatuses("POST", "/v0/tms/statuses/taskforces"));
    }

    [Fact]
    public void The_embedded_fixture_holds_structure_only()
    {
        using var stream = typeof(V0Schema).Assembly.GetManifestResourceStream("Wms.Testing.Fixtures.ewms-wms-v0-structure.json");
        Assert.NotNull(stream);
        var text = new StreamReader(stream).ReadToEnd();

        Assert.DoesNotContain("\"summary\"", text);
        Assert.DoesNotContain("\"title\"", text);
        Assert.DoesNotContain("\"example\"", text);
        Assert.DoesNotContain("\"contact\"", text);
        Assert.Contains("\"components\"", text);
    }
}
