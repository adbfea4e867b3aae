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
}
