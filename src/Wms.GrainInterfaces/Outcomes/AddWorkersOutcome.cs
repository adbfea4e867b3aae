using Wms.Domain.Model;

namespace Wms.GrainInterfaces.Outcomes;

[GenerateSerializer]
public enum AddWorkersKind
{
    Added,
    UnknownTask,
    WorkflowDeactivated,
}

/// <summary>The new taskforce, or why none was made.</summary>
[GenerateSerializer, Immutable, Alias("Wms.AddWorkersOutcome")]
public sealed record AddWorkersOutcome(
    [property: Id(0)] AddWorkersKind Kind,
    [property: Id(1)] TaskforceDocument? Taskforce = null);
