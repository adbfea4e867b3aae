using Wms.Domain.Model;

namespace Wms.Domain.Index;

/// <summary>Documents that become visible together or not at all.</summary>
public sealed record IndexBatch
{
    public IReadOnlyList<Versioned<WorkflowDocument>> Workflows { get; init; } = [];
    public IReadOnlyList<Versioned<TaskDirectiveDocument>> TaskDirectives { get; init; } = [];
    public IReadOnlyList<Versioned<TaskforceDocument>> Taskforces { get; init; } = [];

    public static IndexBatch Of(Versioned<WorkflowDocument> workflow) => new() { Workflows = [workflow] };

    public static IndexBatch Of(Versioned<TaskforceDocument> taskforce) => new() { Taskforces = [taskforce] };
}
