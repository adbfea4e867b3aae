using System.Text.Json.Nodes;
using Wms.Domain.Index;
using Wms.Domain.Model;

namespace Wms.Storage.Postgres.Tests.Index;

/// <summary>Valid documents for index tests, with every selection key settable directly.</summary>
internal static class IndexDocs
{
    private static long _counter;

    public static string Unique(string prefix) =>
        $"{prefix}-{Interlocked.Increment(ref _counter):x6}-{Guid.NewGuid().ToString("N")[..8]}";

    public static WorkflowDocument Workflow(
        int priority = 10, double timestamp = 1, double? retryAt = null, double? activatedAt = null,
        string? deactivated = null, string? id = null) => new()
        {
            WorkflowId = id ?? Unique("WF"),
            Timestamp = timestamp,
            Priority = priority,
            MqActivatedTs = activatedAt,
            MqActivationRetryAtTs = retryAt,
            Deactivated = deactivated,
            DeactivatedTs = deactivated is null ? null : timestamp + 1,
        };

    public static TaskDirectiveDocument Directive(string workflowId, string? id = null, params string[] inputQueues) =>
        Directive(workflowId, 1, id, inputQueues);

    public static TaskDirectiveDocument Directive(
        string workflowId, double timestamp, string? id = null, params string[] inputQueues) => new()
        {
            TaskId = id ?? Unique("TK"),
            WorkflowId = workflowId,
            ClusterLocations = ["test-alpha"],
            TaskImage = "/cvmfs/images/task:1",
            TaskArgs = "--in a",
            Timestamp = timestamp,
            InputQueues = [.. inputQueues],
            OutputQueues = ["out-1"],
        };

    /// <summary>
    /// A taskforce whose log holds the given numbers of failed condor-submit and condor-rm attempts (plus a
    /// successful one of each kind, which must not count). <paramref name="priority"/> is the worker priority,
    /// <paramref name="taskforcePriority"/> the taskforce's own.
    /// </summary>
    public static TaskforceDocument Taskforce(
        string phase, string collector = "COLLECTOR1", string schedd = "SCHEDD1", long priority = 10,
        double timestamp = 1, long? clusterId = null, int submitFailures = 0, int rmFailures = 0, string? uuid = null,
        string? workflowId = null, int taskforcePriority = Priorities.Unrecorded)
    {
        var log = new List<PhaseChangeLogEntry> { Entry(Phase.PreMqActivation, true) };
        log.AddRange(Enumerable.Range(0, submitFailures).Select(_ => Entry(Phase.CondorSubmit, false)));
        log.AddRange(Enumerable.Range(0, rmFailures).Select(_ => Entry(Phase.CondorRm, false)));
        if (submitFailures + rmFailures > 0)
        {
            log.Add(Entry(Phase.CondorSubmit, true));
            log.Add(Entry(Phase.CondorRm, true));
        }
        return new TaskforceDocument
        {
            TaskforceUuid = uuid ?? Unique("TF"),
            TaskId = Unique("TK"),
            WorkflowId = workflowId ?? Unique("WF"),
            Timestamp = timestamp,
            Collector = collector,
            Schedd = schedd,
            NWorkers = 3,
            PilotConfig = new PilotConfig
            {
                Tag = "1.2.3",
                Environment = new Dictionary<string, ConfigValue>
                {
                    ["EWMS_PILOT_TASK_IMAGE"] = ConfigValue.Of("/cvmfs/images/task:1"),
                },
                InputFiles = [],
            },
            WorkerConfig = new WorkerConfig
            {
                DoTransferWorkerStdouterr = true,
                MaxWorkerRuntime = 3600,
                NCores = 1,
                Priority = priority,
                WorkerDisk = "1G",
                WorkerMemory = "512M",
            },
            ClusterId = clusterId,
            Phase = phase,
            PhaseChangeLog = log,
            Priority = taskforcePriority,
        };
    }

    public static PhaseChangeLogEntry Entry(string target, bool successful) => new()
    {
        TargetPhase = target,
        Timestamp = 1,
        WasSuccessful = successful,
        SourceEntity = "TMS",
        Description = successful ? "" : "ERROR: x",
    };

    public static IndexBatch Batch(params TaskforceDocument[] taskforces) =>
        new() { Taskforces = [.. taskforces.Select(t => new Versioned<TaskforceDocument>(t, 1))] };

    public static string? Uuid(byte[]? json) =>
        json is null ? null : JsonNode.Parse(json)!["taskforce_uuid"]!.GetValue<string>();

    public static async Task<List<JsonObject>> ToListAsync(this IAsyncEnumerable<JsonObject> found)
    {
        var list = new List<JsonObject>();
        await foreach (var doc in found)
        {
            list.Add(doc);
        }
        return list;
    }
}
