using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;
using Wms.Api.Tests.Lifecycle;
using Wms.Testing;

namespace Wms.Api.Tests.V1;

/// <summary>Creating workflows through <c>/v1</c>, and reading them through either generation.</summary>
public sealed class CreateV1Tests : IAsyncLifetime
{
    private WmsServer _server = null!;
    private UserClient _v1 = null!;
    private UserClient _v0 = null!;

    public async Task InitializeAsync()
    {
        _server = await WmsServer.StartAsync();
        _v1 = new UserClient(_server.Http, V1Schema.Shared);
        _v0 = new UserClient(_server.Http);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static JsonObject TaskOf(JsonObject request) => (JsonObject)request["tasks"]![0]!;

    [Fact]
    public async Task AV1WorkflowShowsV1ObjectsWithUpstreamsDefaults()
    {
        var request = V1Flow.SimpleWorkflow(Flow.Alpha);
        var task = TaskOf(request);
        task["task_env"] = new JsonObject { ["SEED"] = "7" };
        task["init_image"] = "/cvmfs/init:1";
        task["pilot_config"] = new JsonObject
        {
            ["tag"] = "1.2.3",
            ["image_source"] = "auto",
            ["environment"] = new JsonObject { ["USER_VAR"] = "mine" },
            ["input_files"] = new JsonArray(),
        };
        var created = (await _v1.PostAsync("v1/workflows", request)).Object;

        Assert.Equal(50, created["workflow"]!["priority"]!.GetValue<int>());
        Assert.False(created["workflow"]!.AsObject().ContainsKey("mq_activated_ts"));
        var directive = created["task_directives"]![0]!.AsObject();
        Flow.AssertJson(new JsonObject { ["SEED"] = "7" }, directive["task_env"]);
        Assert.Equal("/cvmfs/init:1", directive["init_image"]!.GetValue<string>());
        Assert.Equal("", directive["init_args"]!.GetValue<string>());
        var tf = created["taskforces"]![0]!.AsObject();
        Assert.Equal(50, tf["priority"]!.GetValue<int>());
        Assert.Null(tf["collector"]);
        // The TMS builds the pilot's own variables; only what the user set is shown.
        Flow.AssertJson(new JsonObject { ["USER_VAR"] = "mine" }, tf["pilot_config"]!["environment"]);
        Assert.Equal("cvmfs", tf["pilot_config"]!["image_source"]!.GetValue<string>());
        Assert.Equal("HAS_CVMFS_icecube_opensciencegrid_org", tf["worker_config"]!["condor_requirements"]!.GetValue<string>());
        var entry = Flow.LogOf(tf)[0];
        Assert.Equal("USER", entry["source_entity"]!.GetValue<string>());
        Assert.Equal("Created during initial workflow request.", entry["context"]!.GetValue<string>());

        // The same objects through /v0, as /v0 shows them.
        var uuid = tf["taskforce_uuid"]!.GetValue<string>();
        var v0 = (await _v0.GetAsync($"v0/taskforces/{uuid}")).Object;
        Assert.False(v0.ContainsKey("priority"));
        Assert.Equal(WmsServer.AlphaCollector, v0["collector"]!.GetValue<string>());
        Assert.Equal("/cvmfs/init:1", v0["pilot_config"]!["environment"]!["EWMS_PILOT_INIT_IMAGE"]!.GetValue<string>());
        Assert.Equal("Created during initial workflow request.", Flow.LogOf(v0)[0]["description"]!.GetValue<string>());
        var v0Directive = (await _v0.GetAsync($"v0/task-directives/{directive["task_id"]}")).Object;
        Assert.False(v0Directive.ContainsKey("task_env"));
    }

    [Fact]
    public async Task AV0WorkflowIsReadableAndFindableThroughV1()
    {
        var created = await _v0.CreateWorkflowAsync(Flow.SimpleWorkflow(Flow.Alpha, Flow.Beta));
        var id = Flow.WorkflowId(created);
        var uuid = Flow.TaskforceUuids(created)[0];
        var taskId = Flow.TaskIds(created)[0];

        var workflow = (await _v1.GetAsync($"v1/workflows/{id}")).Object;
        Assert.Equal(10, workflow["priority"]!.GetValue<int>());
        var tf = (await _v1.GetAsync($"v1/taskforces/{uuid}")).Object;
        Assert.Equal(10, tf["priority"]!.GetValue<int>());
        Assert.Equal("", tf["worker_config"]!["condor_requirements"]!.GetValue<string>());
        Assert.Equal("During initial workflow creation.", Flow.LogOf(tf)[0]["context"]!.GetValue<string>());
        var directive = (await _v1.GetAsync($"v1/task-directives/{taskId}")).Object;
        Flow.AssertJson(new JsonObject(), directive["task_env"]);

        var found = (await _v1.PostAsync("v1/query/taskforces", new JsonObject
        {
            ["query"] = new JsonObject { ["workflow_id"] = id, ["phase_change_log.context"] = "During initial workflow creation." },
            ["projection"] = new JsonArray("taskforce_uuid", "phase_change_log.context", "collector"),
        })).Object;
        var taskforces = found["taskforces"]!.AsArray();
        Assert.Equal(2, taskforces.Count);
        Assert.All(taskforces, t =>
        {
            Assert.Equal(["taskforce_uuid", "phase_change_log"], t!.AsObject().Select(p => p.Key));
            Assert.Equal("During initial workflow creation.", t["phase_change_log"]![0]!["context"]!.GetValue<string>());
        });
    }

    [Fact]
    public async Task IntegerSizesAreKeptOnV1AndShownAsTextOnV0()
    {
        var request = V1Flow.SimpleWorkflow(Flow.Alpha);
        TaskOf(request)["worker_config"]!["worker_memory"] = 8_589_934_592L;
        var created = (await _v1.PostAsync("v1/workflows", request)).Object;
        var uuid = Flow.TaskforceUuids(created)[0];
        Assert.Equal(8_589_934_592L, created["taskforces"]![0]!["worker_config"]!["worker_memory"]!.GetValue<long>());
        var v0 = (await _v0.GetAsync($"v0/taskforces/{uuid}")).Object;
        Assert.Equal("8589934592", v0["worker_config"]!["worker_memory"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(100, 100)]
    public async Task APriorityFromZeroToAHundredIsKept(int asked, int kept)
    {
        var request = V1Flow.SimpleWorkflow(Flow.Alpha);
        request["priority"] = asked;
        var created = (await _v1.PostAsync("v1/workflows", request)).Object;
        Assert.Equal(kept, created["workflow"]!["priority"]!.GetValue<int>());
        Assert.Equal(kept, created["taskforces"]![0]!["priority"]!.GetValue<int>());
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "priority 101", "priority must be between 0 and 100" },
        { "priority -1", "priority must be between 0 and 100" },
        { "no condor_requirements", "tasks[0].worker_config: missing required field 'condor_requirements'" },
        { "three-key pilot_config", "tasks[0].pilot_config: missing required field 'image_source'" },
        { "unknown image_source", "tasks[0].pilot_config.image_source must be one of cvmfs, auto" },
        { "number in task_env", "tasks[0].task_env.SEED must be a string" },
        { "queue variable", "tasks[0].pilot_config.environment cannot include the attribute 'EWMS_PILOT_QUEUE_INCOMING'. The TMS sets the queue variables itself, adding to any value it finds." },
        { "zero memory", "tasks[0].worker_config.worker_memory must be at least 1" },
        { "unknown location", "condor cluster location not found: nowhere" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task BadV1RequestsAreRefusedAndMakeNothing(string name, string error)
    {
        var request = V1Flow.SimpleWorkflow(Flow.Alpha);
        var task = TaskOf(request);
        var pilot = new JsonObject
        {
            ["tag"] = "1.2.3",
            ["image_source"] = "cvmfs",
            ["environment"] = new JsonObject(),
            ["input_files"] = new JsonArray(),
        };
        switch (name)
        {
            case "priority 101":
                request["priority"] = 101;
                break;
            case "priority -1":
                request["priority"] = -1;
                break;
            case "no condor_requirements":
                task["worker_config"]!.AsObject().Remove("condor_requirements");
                break;
            case "three-key pilot_config":
                pilot.Remove("image_source");
                task["pilot_config"] = pilot;
                break;
            case "unknown image_source":
                pilot["image_source"] = "docker";
                task["pilot_config"] = pilot;
                break;
            case "number in task_env":
                task["task_env"] = new JsonObject { ["SEED"] = 7 };
                break;
            case "queue variable":
                pilot["environment"] = new JsonObject { ["EWMS_PILOT_QUEUE_INCOMING"] = "x" };
                task["pilot_config"] = pilot;
                break;
            case "zero memory":
                task["worker_config"]!["worker_memory"] = 0;
                break;
            case "unknown location":
                task["cluster_locations"] = new JsonArray("nowhere");
                break;
        }
        var before = await CountWorkflowsAsync();
        (await _v1.PostAsync("v1/workflows", request)).AssertError(400, error);
        Assert.Equal(before, await CountWorkflowsAsync());
    }

    [Fact]
    public async Task V0KeepsItsOwnRulesAndTexts()
    {
        // What /v1 requires or allows is refused or ignored as before on /v0.
        var request = Flow.SimpleWorkflow("nowhere");
        (await _v0.PostAsync("v0/workflows", request)).AssertError(400, "condor location not found: nowhere");
        var withRequirements = Flow.SimpleWorkflow(Flow.Alpha);
        withRequirements["tasks"]![0]!["worker_config"]!["condor_requirements"] = "x";
        var answer = await _v0.PostAsync("v0/workflows", withRequirements);
        Assert.Equal(400, answer.Status);
        var numbers = Flow.SimpleWorkflow(Flow.Alpha);
        numbers["tasks"]![0]!["task_env"] = new JsonObject { ["SEED"] = 7 };
        var created = (await _v0.PostAsync("v0/workflows", numbers)).Object;
        // /v1 shows the number as the text the pilot reads.
        var taskId = Flow.TaskIds(created)[0];
        var directive = (await _v1.GetAsync($"v1/task-directives/{taskId}")).Object;
        Flow.AssertJson(new JsonObject { ["SEED"] = "7" }, directive["task_env"]);
    }

    private async Task<int> CountWorkflowsAsync() =>
        (await _v0.PostAsync("v0/query/workflows", new JsonObject { ["query"] = new JsonObject() }))
            .Object["workflows"]!.AsArray().Count;
}
