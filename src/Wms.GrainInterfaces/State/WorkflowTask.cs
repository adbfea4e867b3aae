namespace Wms.GrainInterfaces.State;

/// <summary>What a workflow remembers of each of its tasks: the queues and the taskforces made from it.</summary>
[GenerateSerializer, Alias("Wms.WorkflowTask")]
public sealed class WorkflowTask
{
    [Id(0)] public string TaskId { get; set; } = "";

    /// <summary>Index of the task in the workflow request, for its pilot and worker templates.</summary>
    [Id(1)] public int SpecIndex { get; set; }

    [Id(2)] public List<string> InputQueues { get; set; } = [];
    [Id(3)] public List<string> OutputQueues { get; set; } = [];
    [Id(4)] public List<string> TaskforceUuids { get; set; } = [];
}
