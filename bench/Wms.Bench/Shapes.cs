using System.Globalization;
using System.Text.Json.Nodes;

namespace Wms.Bench;

/// <summary>The request bodies the simulated users and TMS send.</summary>
public static class Shapes
{
    /// <summary>
    /// Shape A: one task on two pools, reading one queue and writing another; as a POST to
    /// <paramref name="generation"/>'s <c>/workflows</c>.
    /// </summary>
    public static byte[] ShapeA(Pool first, Pool second, long n, Generation generation = Generation.V0) => Workflow(
        [Task([first, second], "in", "out", n, 0, generation)], publicAliases: ["in", "out"]);

    /// <summary>
    /// Shape B: a chain of ten tasks (task i reads queue i and writes queue i+1), each on three pools: 30 taskforces.
    /// </summary>
    public static byte[] ShapeB(IReadOnlyList<Pool> pools, long n, Generation generation = Generation.V0) =>
        Chain(10, i => [pools[i % pools.Count], pools[(i + 1) % pools.Count], pools[(i + 2) % pools.Count]], n, generation);

    /// <summary>What the probe stores: a chain of 30 tasks on one pool, 30 taskforces per request.</summary>
    public static byte[] Seed(Pool pool, long n) => Chain(30, _ => [pool], n, Generation.V0);

    public const int ShapeATaskforces = 2;
    public const int ShapeBTaskforces = 30;
    public const int SeedTaskforces = 30;

    private static byte[] Chain(int tasks, Func<int, Pool[]> poolsOf, long n, Generation generation)
    {
        var list = Enumerable.Range(0, tasks)
            .Select(i => Task(poolsOf(i), $"q{i}", $"q{i + 1}", n, i, generation))
            .ToArray();
        return Workflow(list, publicAliases: ["q0", $"q{tasks}"]);
    }

    private static byte[] Workflow(JsonObject[] tasks, string[] publicAliases)
    {
        var body = new JsonObject
        {
            ["public_queue_aliases"] = new JsonArray(publicAliases.Select(a => (JsonNode)a).ToArray()),
            ["tasks"] = new JsonArray(tasks.Select(t => (JsonNode)t).ToArray()),
        };
        return System.Text.Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    /// <summary>What a /v1 task asks of the worker's machine, beside what the pilot image itself needs.</summary>
    public const string CondorRequirements = "(TARGET.OpSysMajorVer >= 8)";

    private static JsonObject Task(Pool[] pools, string input, string output, long n, int index, Generation generation)
    {
        var task = Task(pools, input, output, n, index);
        if (generation == Generation.V1)
        {
            // The one member /v1 requires that /v0 does not know.
            task["worker_config"]!["condor_requirements"] = CondorRequirements;
        }
        return task;
    }

    private static JsonObject Task(Pool[] pools, string input, string output, long n, int index) => new()
    {
        ["cluster_locations"] = new JsonArray(pools.Select(p => (JsonNode)p.Location).ToArray()),
        ["input_queue_aliases"] = new JsonArray(input),
        ["output_queue_aliases"] = new JsonArray(output),
        ["task_image"] = "/cvmfs/icecube.opensciencegrid.org/containers/bench/task:1.0.0",
        ["task_args"] = string.Create(CultureInfo.InvariantCulture, $"process --run {n} --stage {index} {{{{INFILE}}}} {{{{OUTFILE}}}}"),
        ["task_env"] = new JsonObject { ["BENCH_RUN"] = n.ToString(CultureInfo.InvariantCulture) },
        ["n_workers"] = 20,
        ["worker_config"] = new JsonObject
        {
            ["do_transfer_worker_stdouterr"] = true,
            ["max_worker_runtime"] = 3600,
            ["n_cores"] = 1,
            ["priority"] = 50,
            ["worker_disk"] = "1G",
            ["worker_memory"] = "2G",
        },
    };

    /// <summary>The job event log of one cluster, as the /v0 TMS names it.</summary>
    public static string ClusterLog(long clusterId) =>
        string.Create(CultureInfo.InvariantCulture, $"/scratch/ewms/bench/tms-cluster-{clusterId}.log");

    /// <summary>The job event log today's TMS shares among every cluster it submits on one day.</summary>
    public static string DayLog(Pool pool) =>
        $"/scratch/ewms/bench/{pool.Schedd}/{DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.tms.jel";

    /// <summary>
    /// The body of a successful condor-submit: the /v0 TMS's (a log per cluster) unless <paramref name="log"/> names
    /// today's TMS's shared one, whose submit also carries the taskforce's own requirements.
    /// </summary>
    public static byte[] CondorSubmit(
        string taskforceUuid, long clusterId, int nWorkers, Pool pool, string? log = null, string? requirements = null)
    {
        log ??= ClusterLog(clusterId);
        var machine = $"(TARGET.Machine != \"{pool.Schedd}\")";
        var body = new JsonObject
        {
            ["cluster_id"] = clusterId,
            ["n_workers"] = nWorkers,
            ["submit_dict"] = new JsonObject
            {
                ["universe"] = "container",
                ["request_cpus"] = 1,
                ["request_memory"] = "2G",
                ["+FileSystemDomain"] = "blah",
                ["log"] = log,
                ["+EWMSTaskforceUUID"] = $"\"{taskforceUuid}\"",
                ["Requirements"] = string.IsNullOrEmpty(requirements) ? machine : $"{machine} && ({requirements})",
            },
            ["job_event_log_fpath"] = log,
        };
        return System.Text.Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    public static byte[] CondorComplete(long ts) =>
        System.Text.Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$"""{"condor_complete_ts": {{ts}}}"""));

    public static readonly byte[] EmptyObject = "{}"u8.ToArray();

    /// <summary>
    /// One bulk status report: compound statuses and top errors for every taskforce named. Two successive rounds
    /// never report the same figures for a taskforce.
    /// </summary>
    public static byte[] Statuses(IReadOnlyList<string> taskforceUuids, int round)
    {
        var statuses = new JsonObject();
        var errors = new JsonObject();
        for (var i = 0; i < taskforceUuids.Count; i++)
        {
            var tasking = 1 + (round % 1000);
            statuses[taskforceUuids[i]] = new JsonObject
            {
                ["RUNNING"] = new JsonObject { ["Tasking"] = tasking, ["null"] = 2 },
                ["IDLE"] = new JsonObject { ["null"] = 1 + (i % 5) },
            };
            errors[taskforceUuids[i]] = new JsonObject { ["HELD: Memory usage exceeds a memory limit"] = round % 3 };
        }
        var body = new JsonObject
        {
            ["compound_statuses_by_taskforce"] = statuses,
            ["top_task_errors_by_taskforce"] = errors,
        };
        return System.Text.Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    /// <summary>
    /// The find of today's TMS's watcher naming the taskforce of a cluster it sees in its job event log (it reads the
    /// first item of the first page).
    /// </summary>
    public static byte[] WatcherFind(Pool pool, string log, long clusterId) => Find(new JsonObject
    {
        ["schedd"] = pool.Schedd,
        ["job_event_log_fpath"] = log,
        ["cluster_id"] = clusterId,
    }, "taskforce_uuid");

    /// <summary>A find on taskforces, with a projection.</summary>
    public static byte[] Find(JsonObject query, params string[] projection)
    {
        var body = new JsonObject
        {
            ["query"] = query,
            ["projection"] = new JsonArray(projection.Select(p => (JsonNode)p).ToArray()),
        };
        return System.Text.Encoding.UTF8.GetBytes(body.ToJsonString());
    }
}
