using Wms.Domain.Commands;
using Wms.Domain.Model;
using Wms.Domain.Rules;
using Wms.Grains.Rules;

namespace Wms.Grains.Tests.Support;

/// <summary>Valid requests and documents for tests, with unique ids and HTCondor pools where it matters.</summary>
public static class Build
{
    public static readonly ClusterLocation Alpha = new("test-alpha", "COLLECTOR1", "SCHEDD1");
    public static readonly ClusterLocation Beta = new("test-beta", "COLLECTOR2", "SCHEDD2");

    private static long _counter;

    /// <summary>A pool no other test uses, so TMS selections see only this test's taskforces.</summary>
    public static ClusterLocation UniqueLocation()
    {
        var n = Interlocked.Increment(ref _counter);
        var tag = Guid.NewGuid().ToString("N")[..8];
        return new ClusterLocation($"loc-{n}", $"collector-{tag}", $"schedd-{tag}");
    }

    public static string WorkflowId() => Ids.NewWorkflowId(DateTimeOffset.UtcNow);

    public static WorkerConfig Worker(long priority = 10) => new()
    {
        DoTransferWorkerStdouterr = true,
        MaxWorkerRuntime = 3600,
        NCores = 1,
        Priority = priority,
        WorkerDisk = "1G",
        WorkerMemory = "512M",
    };

    public static TaskSpec Task(
        IEnumerable<ClusterLocation> locations, long workerPriority = 10, IEnumerable<string>? inputs = null,
        IEnumerable<string>? outputs = null, long? nWorkers = 3) => new()
        {
            ClusterLocations = locations.ToList(),
            TaskImage = "/cvmfs/images/task:1",
            TaskArgs = "--in a --out b",
            InputQueueAliases = (inputs ?? ["in-q"]).ToList(),
            OutputQueueAliases = (outputs ?? ["out-q"]).ToList(),
            PilotConfig = new PilotConfig
            {
                Tag = "1.2.3",
                Environment = new Dictionary<string, ConfigValue> { ["USER_VAR"] = ConfigValue.Of("user value") },
                InputFiles = ["/data/input.txt"],
            },
            WorkerConfig = Worker(workerPriority),
            NWorkers = nWorkers,
        };

    public static WorkflowSpec Workflow(int priority, params TaskSpec[] tasks) => new()
    {
        Priority = priority,
        SubmissionKey = Guid.NewGuid(),
        PublicQueueAliases = ["in-q"],
        Tasks = tasks.ToList(),
    };

    public static WorkflowSpec Workflow(params TaskSpec[] tasks) => Workflow(10, tasks);

    /// <summary>A stand-alone taskforce in any phase, at the given pool, with a fresh uuid.</summary>
    public static TaskforceDocument Taskforce(
        string phase, ClusterLocation? location = null, long workerPriority = 10, double? timestamp = null,
        long? clusterId = null)
    {
        var workflowId = WorkflowId();
        var taskId = Ids.NewTaskId(workflowId);
        var at = timestamp ?? TimeProvider.System.EpochSeconds();
        var pool = location ?? UniqueLocation();
        return WorkflowPlanner.NewTaskforce(workflowId, taskId, Task([pool], workerPriority), pool, 3, at,
            PhaseLog.Creation(ApiGeneration.V0, null), Priorities.DefaultV0) with
        {
            Phase = phase,
            ClusterId = clusterId,
        };
    }

    public static CondorSubmission Submission(long clusterId = 1234) => new(
        clusterId,
        7,
        new Dictionary<string, ConfigValue>
        {
            ["executable"] = ConfigValue.Of("/bin/pilot"),
            ["request_cpus"] = ConfigValue.Of(1),
        },
        $"/scratch/jel/{clusterId}.log");
}
