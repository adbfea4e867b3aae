using System.Text.Json.Nodes;

namespace Wms.Testing.Tests;

/// <summary>Well-formed WMS objects to mutate in tests.</summary>
internal static class Samples
{
    public const string WorkflowId = "WF-6745f0a1-1a2b3c4d";
    public const string TaskId = "TK-6745f0a1-1a2b3c4d-5e6f7a8b";
    public const string TaskforceUuid = "TF-6745f0a1-1a2b3c4d-5e6f7a8b-9c0d1e2f";

    public static JsonObject Taskforce(string uuid = TaskforceUuid, string phase = "pending-starter") => new()
    {
        ["taskforce_uuid"] = uuid,
        ["task_id"] = TaskId,
        ["workflow_id"] = WorkflowId,
        ["timestamp"] = 1732636833.123456,
        ["collector"] = "COLLECTOR1",
        ["schedd"] = "SCHEDD1",
        ["n_workers"] = 3,
        ["pilot_config"] = new JsonObject
        {
            ["tag"] = "1.2.3",
            ["environment"] = new JsonObject
            {
                ["EWMS_PILOT_TASK_IMAGE"] = "/cvmfs/example/images/reco:2.0",
                ["EWMS_PILOT_TASK_ARGS"] = "--in in.json --out out.json",
                ["EWMS_PILOT_QUEUE_INCOMING"] = new JsonArray("MQ-0011223344556677"),
                ["MY_THREADS"] = 4,
            },
            ["input_files"] = new JsonArray("/data/geometry.i3.gz"),
        },
        ["worker_config"] = new JsonObject
        {
            ["do_transfer_worker_stdouterr"] = true,
            ["max_worker_runtime"] = 86400,
            ["n_cores"] = 1,
            ["priority"] = 50,
            ["worker_disk"] = "1GB",
            ["worker_memory"] = "8GB",
        },
        ["cluster_id"] = null,
        ["submit_dict"] = new JsonObject(),
        ["job_event_log_fpath"] = "",
        ["phase"] = phase,
        ["phase_change_log"] = new JsonArray(
            new JsonObject
            {
                ["target_phase"] = "pre-mq-activation",
                ["timestamp"] = 1732636833.123456,
                ["was_successful"] = true,
                ["source_event_time"] = null,
                ["source_entity"] = "User",
                ["description"] = "During initial workflow creation.",
            }),
        ["compound_statuses"] = new JsonObject(),
        ["top_task_errors"] = new JsonObject(),
    };

    public const string InputQueue = "MQ-in-5a6b7c8d";
    public const string OutputQueue = "MQ-out-9e0f1a2b";

    /// <summary>A whole /v1 taskforce: priority, collector null, image_source, condor_requirements, log items with context.</summary>
    public static JsonObject V1Taskforce(string uuid = TaskforceUuid, string phase = "pending-starter") => new()
    {
        ["taskforce_uuid"] = uuid,
        ["task_id"] = TaskId,
        ["workflow_id"] = WorkflowId,
        ["timestamp"] = 1732636833.123456,
        ["priority"] = 100,
        ["collector"] = null,
        ["schedd"] = "SCHEDD1",
        ["n_workers"] = 3,
        ["pilot_config"] = new JsonObject
        {
            ["tag"] = "1.2.3",
            ["image_source"] = "cvmfs",
            ["environment"] = new JsonObject { ["MY_THREADS"] = 4, ["MY_MODE"] = "fast" },
            ["input_files"] = new JsonArray("/data/geometry.i3.gz"),
        },
        ["worker_config"] = new JsonObject
        {
            ["do_transfer_worker_stdouterr"] = true,
            ["max_worker_runtime"] = 86400,
            ["n_cores"] = 2,
            ["priority"] = 50,
            ["worker_disk"] = "1GB",
            ["worker_memory"] = 8_589_934_592L,
            ["condor_requirements"] = " has_avx2 ",
        },
        ["cluster_id"] = null,
        ["submit_dict"] = new JsonObject(),
        ["job_event_log_fpath"] = "",
        ["phase"] = phase,
        ["phase_change_log"] = new JsonArray(
            new JsonObject
            {
                ["target_phase"] = "pre-mq-activation",
                ["timestamp"] = 1732636833.123456,
                ["was_successful"] = true,
                ["source_event_time"] = null,
                ["source_entity"] = "USER",
                ["context"] = "Created during initial workflow request.",
            }),
        ["compound_statuses"] = new JsonObject(),
        ["top_task_errors"] = new JsonObject(),
    };

    /// <summary>A whole /v1 task directive reading <see cref="InputQueue"/> and writing <see cref="OutputQueue"/>.</summary>
    public static JsonObject V1TaskDirective() => new()
    {
        ["task_id"] = TaskId,
        ["workflow_id"] = WorkflowId,
        ["cluster_locations"] = new JsonArray("test-alpha"),
        ["task_image"] = "/cvmfs/example/images/reco:2.0",
        ["task_args"] = "--in {{INFILE}} --out {{OUTFILE}}",
        ["task_env"] = new JsonObject { ["ALPHA"] = "1", ["NAME"] = "Zoë \"q\"" },
        ["init_image"] = "",
        ["init_args"] = "",
        ["init_env"] = new JsonObject(),
        ["timestamp"] = 1732636833.123456,
        ["input_queues"] = new JsonArray(InputQueue),
        ["output_queues"] = new JsonArray(OutputQueue),
    };

    /// <summary>An activated MQS profile, whole, as the MQS answers GET /v1/mqs/mq-profiles/{mqid}.</summary>
    public static JsonObject MqProfile(string mqid, string alias = "events") => new()
    {
        ["mqid"] = mqid,
        ["workflow_id"] = WorkflowId,
        ["timestamp"] = 1732636834.5,
        ["alias"] = alias,
        ["is_public"] = false,
        ["is_activated"] = true,
        ["auth_token"] = $"token-{mqid}",
        ["broker_type"] = "rabbitmq",
        ["broker_address"] = "broker.example.org/vhost",
    };

    /// <summary>A whole /v1 workflow.</summary>
    public static JsonObject V1Workflow() => new()
    {
        ["workflow_id"] = WorkflowId,
        ["timestamp"] = 1732636833.0,
        ["priority"] = 100,
        ["deactivated"] = null,
        ["deactivated_ts"] = null,
    };

    /// <summary>A /v1 pending-starter answer for <see cref="V1Taskforce"/>, its directive and both queues' profiles.</summary>
    public static JsonObject PendingStarterAnswer() => new()
    {
        ["taskforce"] = V1Taskforce(),
        ["task_directive"] = V1TaskDirective(),
        ["mqprofiles"] = new JsonArray(MqProfile(InputQueue, "in"), MqProfile(OutputQueue, "out")),
    };
}
