using Wms.GrainInterfaces.Model;

namespace Wms.GrainInterfaces.Storage;

/// <summary>Documents that become visible together or not at all.</summary>
public sealed record IndexBatch
{
    public IReadOnlyList<Versioned<WorkflowDocument>> Workflows { get; init; } = [];
    public IReadOnlyList<Versioned<TaskDirectiveDocument>> TaskDirectives { get; init; } = [];
    public IReadOnlyList<Versioned<TaskforceDocument>> Taskforces { get; init; } = [];

    public static IndexBatch Of(Versioned<WorkflowDocument> workflow) => new() { Workflows = [workflow] };

    public static IndexBatch Of(Versioned<TaskforceDocument> taskforce) => new() { Taskforces = [taskforce] };
}
