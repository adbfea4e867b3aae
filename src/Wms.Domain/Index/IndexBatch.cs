using Wms.Domain.Model;

namespace Wms.Domain.Index;

/// <summary>Documents that become visible together or not at all.</summary>
public sealed record IndexBatch
{
    public IReadOnlyList<Versioned<WorkflowDocument>> Workflows { get; init; } = [];
    public IReadOnlyList<Versioned<TaskDirectiveDocument>> TaskDirectives { get; init; } = [];
    public IReadOnlyList<Versioned<TaskforceDocument>> Taskforces { get; init; } = [];

    /// <summary>
    /// The authenticated subject that created each of <see cref="Workflows"/>, by workflow id; a workflow missing here
    /// was created with authentication off. The index keeps it beside the document, which does not show it: finds
    /// narrow to one creator's workflows with it (<see cref="Creator"/>).
    /// </summary>
    public IReadOnlyDictionary<string, string> Creators { get; init; } = new Dictionary<string, string>();

    public static IndexBatch Of(Versioned<WorkflowDocument> workflow, string? createdBy = null) => new()
    {
        Workflows = [workflow],
        Creators = createdBy is null
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { [workflow.Document.WorkflowId] = createdBy },
    };

    /// <summary>Who created the workflow of this id, as <see cref="Creators"/> says; null with authentication off.</summary>
    public string? CreatorOf(string workflowId) => Creators.GetValueOrDefault(workflowId);

    public static IndexBatch Of(Versioned<TaskforceDocument> taskforce) => new() { Taskforces = [taskforce] };
}
