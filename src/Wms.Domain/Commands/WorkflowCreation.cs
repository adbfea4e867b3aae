using System.Text.Json.Serialization;
using Wms.Domain.Model;

namespace Wms.Domain.Commands;

/// <summary>Everything a new workflow consists of, as answered to the user who created it.</summary>
/// <remarks>
/// Collections are kept as stored (<see cref="StoredCollections"/>) and handed out read-only. The constructor is
/// not a primary one because Orleans serializes a record's primary constructor parameters as they are declared,
/// read-only interface types included.
/// </remarks>
[GenerateSerializer, Immutable, Alias("Wms.WorkflowCreation")]
public sealed record WorkflowCreation
{
    [Id(1)] private readonly List<TaskDirectiveDocument> _taskDirectives;
    [Id(2)] private readonly List<TaskforceDocument> _taskforces;

    public WorkflowCreation(
        WorkflowDocument workflow, IReadOnlyList<TaskDirectiveDocument> taskDirectives,
        IReadOnlyList<TaskforceDocument> taskforces)
    {
        Workflow = workflow;
        _taskDirectives = StoredCollections.ListOf(taskDirectives);
        _taskforces = StoredCollections.ListOf(taskforces);
    }

    [Id(0), JsonPropertyName("workflow")] public WorkflowDocument Workflow { get; init; }

    [JsonPropertyName("task_directives")]
    public IReadOnlyList<TaskDirectiveDocument> TaskDirectives
    {
        get => _taskDirectives;
        init => _taskDirectives = StoredCollections.ListOf(value);
    }

    [JsonPropertyName("taskforces")]
    public IReadOnlyList<TaskforceDocument> Taskforces
    {
        get => _taskforces;
        init => _taskforces = StoredCollections.ListOf(value);
    }
}
