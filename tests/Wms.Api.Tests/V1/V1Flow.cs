using System.Text.Json.Nodes;
using Wms.Api.Tests.Lifecycle;

namespace Wms.Api.Tests.V1;

/// <summary>Request builders for <c>/v1</c>: what today's users send.</summary>
public static class V1Flow
{
    /// <summary>A <c>/v1</c> task: the <c>/v0</c> one with <c>condor_requirements</c>, and anything else given.</summary>
    public static JsonObject Task(string[] locations, string[] inputs, string[] outputs, long workerPriority = 10)
    {
        var task = Flow.Task(locations, inputs, outputs, workerPriority);
        task["worker_config"]!["condor_requirements"] = "HAS_CVMFS_icecube_opensciencegrid_org";
        return task;
    }

    public static JsonObject SimpleWorkflow(params string[] locations) =>
        Flow.Workflow([Task(locations, ["in"], ["out"])]);
}
