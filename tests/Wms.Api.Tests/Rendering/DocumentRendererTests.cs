using System.Text;
using System.Text.Json.Nodes;
using Wms.Api.Rendering;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Domain.Rules;

namespace Wms.Api.Tests.Rendering;

public sealed class DocumentRendererTests
{
    private static TaskforceDocument Taskforce(int? priority = 60, bool integerDisk = false) => new()
    {
        TaskforceUuid = "TF-1",
        TaskId = "TK-1",
        WorkflowId = "WF-1",
        Timestamp = 1.5,
        Collector = "COLLECTOR1",
        Schedd = "SCHEDD1",
        NWorkers = 3,
        PilotConfig = new PilotConfig
        {
            Tag = "1.2.3",
            Environment = new Dictionary<string, ConfigValue>
            {
                ["USER_VAR"] = ConfigValue.Of("mine"),
                [PilotEnvironment.TaskImage] = ConfigValue.Of("/cvmfs/img"),
                ["EWMS_PILOT_QUEUE_INCOMING"] = ConfigValue.Of(["MQ-1"]),
                ["EWMS_PILOT_QUEUE_INCOMING_AUTH_TOKEN"] = ConfigValue.Of(["t"]),
            },
            InputFiles = ["/data/in"],
        },
        WorkerConfig = new WorkerConfig
        {
            DoTransferWorkerStdouterr = true,
            MaxWorkerRuntime = 3600,
            NCores = 1,
            Priority = 7,
            WorkerDisk = integerDisk ? "1073741824" : "1GB",
            WorkerDiskIsInteger = integerDisk,
            WorkerMemory = "512M",
            CondorRequirements = "HAS_CVMFS",
        },
        Phase = Phase.PreMqActivation,
        PhaseChangeLog = [PhaseLog.Entry(Phase.PreMqActivation, 1.5, true, "USER", "made")],
        Priority = priority ?? Priorities.Unrecorded,
    };

    private static JsonObject V0(TaskforceDocument tf) =>
        (JsonObject)JsonNode.Parse(GenerationView.Render(ApiGeneration.V0, tf))!;

    private static JsonObject V1(TaskforceDocument tf) =>
        (JsonObject)JsonNode.Parse(GenerationView.Render(ApiGeneration.V1, tf))!;

    [Fact]
    public void V0ShowsTheTaskforceItAlwaysShowed()
    {
        // The key sets and order of the /v0 schema, values as stored.
        const string expected = """
            {"taskforce_uuid":"TF-1","task_id":"TK-1","workflow_id":"WF-1","timestamp":1.5,"collector":"COLLECTOR1","schedd":"SCHEDD1","n_workers":3,"pilot_config":{"tag":"1.2.3","environment":{"USER_VAR":"mine","EWMS_PILOT_TASK_IMAGE":"/cvmfs/img","EWMS_PILOT_QUEUE_INCOMING":["MQ-1"],"EWMS_PILOT_QUEUE_INCOMING_AUTH_TOKEN":["t"]},"input_files":["/data/in"]},"worker_config":{"do_transfer_worker_stdouterr":true,"max_worker_runtime":3600,"n_cores":1,"priority":7,"worker_disk":"1GB","worker_memory":"512M"},"cluster_id":null,"submit_dict":{},"job_event_log_fpath":"","phase":"pre-mq-activation","phase_change_log":[{"target_phase":"pre-mq-activation","timestamp":1.5,"was_successful":true,"source_event_time":null,"source_entity":"USER","description":"made"}],"compound_statuses":{},"top_task_errors":{}}
            """;
        Assert.Equal(expected.Trim(), Encoding.UTF8.GetString(GenerationView.Render(ApiGeneration.V0, Taskforce())));
    }

    [Fact]
    public void V0ShowsAnIntegerSizeAsItsText()
    {
        Assert.Equal("1073741824", V0(Taskforce(integerDisk: true))["worker_config"]!["worker_disk"]!.GetValue<string>());
        Assert.Equal(1073741824L, V1(Taskforce(integerDisk: true))["worker_config"]!["worker_disk"]!.GetValue<long>());
    }

    [Fact]
    public void V1ShowsItsOwnMembersAndTheUsersEnvironmentOnly()
    {
        var tf = V1(Taskforce());
        Assert.Equal(60, tf["priority"]!.GetValue<int>());
        Assert.Null(tf["collector"]);
        Assert.True(tf.ContainsKey("collector"));
        Assert.Equal("SCHEDD1", tf["schedd"]!.GetValue<string>());
        var pilot = (JsonObject)tf["pilot_config"]!;
        Assert.Equal(["tag", "environment", "input_files", "image_source"], pilot.Select(p => p.Key));
        Assert.Equal("cvmfs", pilot["image_source"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["USER_VAR"] = "mine" }, pilot["environment"]));
        Assert.Equal("HAS_CVMFS", tf["worker_config"]!["condor_requirements"]!.GetValue<string>());
        var entry = (JsonObject)tf["phase_change_log"]![0]!;
        Assert.Equal("made", entry["context"]!.GetValue<string>());
        Assert.False(entry.ContainsKey("description"));
    }

    [Fact]
    public void V1ShowsUpstreamsDefaultsForATaskforceStoredBeforeTheyExisted()
    {
        // As the index holds a taskforce written before taskforces had a priority or condor requirements.
        var stored = JsonNode.Parse(GenerationView.Render(ApiGeneration.V0, Taskforce()))!.AsObject();
        var tf = JsonNode.Parse(GenerationView.Render(ApiGeneration.V1, ObjectKind.Taskforce,
            Encoding.UTF8.GetBytes(stored.ToJsonString())))!.AsObject();
        Assert.Equal(Priorities.Unrecorded, tf["priority"]!.GetValue<int>());
        Assert.Equal("", tf["worker_config"]!["condor_requirements"]!.GetValue<string>());
        Assert.Equal("cvmfs", tf["pilot_config"]!["image_source"]!.GetValue<string>());
    }

    [Fact]
    public void AProjectedDocumentGetsNoDefaults()
    {
        var projected = new JsonObject { ["taskforce_uuid"] = "TF-1", ["pilot_config"] = new JsonObject { ["tag"] = "1" } };
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            DocumentRenderer.Render(projected, GenerationView.Rule(ApiGeneration.V1, ObjectKind.Taskforce), writer, whole: false);
        }
        Assert.Equal("""{"taskforce_uuid":"TF-1","pilot_config":{"tag":"1"}}""", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void A0WorkflowIsShownAsStoredWithoutCopying()
    {
        var stored = WireJson.ToUtf8(new WorkflowDocument { WorkflowId = "WF-1", Timestamp = 1, Priority = 10, MqActivatedTs = 2 });
        Assert.Same(stored, GenerationView.Render(ApiGeneration.V0, ObjectKind.Workflow, stored));
        var v1 = JsonNode.Parse(GenerationView.Render(ApiGeneration.V1, ObjectKind.Workflow, stored))!.AsObject();
        Assert.Equal(["workflow_id", "timestamp", "priority", "deactivated", "deactivated_ts"], v1.Select(p => p.Key));
    }

    [Fact]
    public void TaskDirectivesShowTheTasksOwnSettingsOnV1Only()
    {
        var directive = new TaskDirectiveDocument
        {
            TaskId = "TK-1",
            WorkflowId = "WF-1",
            ClusterLocations = ["sub-2"],
            TaskImage = "img",
            TaskArgs = "",
            Timestamp = 1,
            InputQueues = [],
            OutputQueues = ["MQ-2"],
            TaskEnv = new Dictionary<string, string> { ["A"] = "1" },
            InitImage = "init",
        };
        var v0 = JsonNode.Parse(GenerationView.Render(ApiGeneration.V0, directive))!.AsObject();
        Assert.Equal(["task_id", "workflow_id", "cluster_locations", "task_image", "task_args", "timestamp", "input_queues", "output_queues"],
            v0.Select(p => p.Key));
        var v1 = JsonNode.Parse(GenerationView.Render(ApiGeneration.V1, directive))!.AsObject();
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["A"] = "1" }, v1["task_env"]));
        Assert.Equal("init", v1["init_image"]!.GetValue<string>());
        Assert.Equal("", v1["init_args"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(new JsonObject(), v1["init_env"]));
    }

    [Fact]
    public void NamesAndValuesThatNeedEscapingSurviveUnchanged()
    {
        var stored = Encoding.UTF8.GetBytes("""{"collector":"c","pilot_config":{"environment":{"a\"b\\c":"\u00e9\n"}},"x\u0001":1}""");
        var v1 = Encoding.UTF8.GetString(GenerationView.Render(ApiGeneration.V1, ObjectKind.Taskforce, stored));
        Assert.StartsWith("""{"collector":null,"pilot_config":{"environment":{"a\"b\\c":"\u00e9\n"},"image_source":"cvmfs"},"x\u0001":1""", v1,
            StringComparison.Ordinal);
    }
}
