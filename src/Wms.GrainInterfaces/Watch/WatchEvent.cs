using Wms.Domain.Model;

namespace Wms.GrainInterfaces.Watch;

/// <summary>
/// One change of a watched workflow: a taskforce's (<see cref="Taskforce"/>) or the workflow's own
/// (<see cref="Workflow"/> with <see cref="WorkflowChange"/>). Its grain publishes it with no sequence; the workflow's
/// events grain numbers it.
/// </summary>
[GenerateSerializer, Immutable, Alias("Wms.WatchEvent")]
public sealed record WatchEvent
{
    /// <summary>Its number in the workflow's events of the current epoch; 0 until the events grain numbers it.</summary>
    [Id(0)] public long Sequence { get; init; }

    /// <summary>When the change was made, epoch seconds.</summary>
    [Id(1)] public required double Timestamp { get; init; }

    [Id(2)] public TaskforceSummary? Taskforce { get; init; }

    [Id(3)] public WorkflowDocument? Workflow { get; init; }

    /// <summary>A <see cref="Watch.WorkflowChange"/> name, with <see cref="Workflow"/>.</summary>
    [Id(4)] public string? WorkflowChange { get; init; }

    /// <summary>The workflow's stored revision, with <see cref="Workflow"/>.</summary>
    [Id(5)] public long WorkflowRevision { get; init; }

    public static WatchEvent Of(TaskforceSummary taskforce) => new() { Timestamp = taskforce.Timestamp, Taskforce = taskforce };

    public static WatchEvent Of(WorkflowDocument workflow, string change, long revision, double timestamp) =>
        new() { Timestamp = timestamp, Workflow = workflow, WorkflowChange = change, WorkflowRevision = revision };
}
