using Wms.Domain.Commands;
using Wms.GrainInterfaces.Outcomes;

namespace Wms.GrainInterfaces.State;

/// <summary>An idempotency key's durable record: its request, what that request is making, and its answer.</summary>
[GenerateSerializer, Alias("Wms.IdempotencyState")]
public sealed class IdempotencyState
{
    /// <summary>Names the request the key first came with; null while the key is unused.</summary>
    [Id(0)] public string? RequestHash { get; set; }

    /// <summary>When the key was first used, in epoch seconds; it is kept for a retention period from then.</summary>
    [Id(1)] public double FirstUsedTs { get; set; }

    /// <summary>The workflow id drawn for the request, recorded before it is created so a retry resumes it.</summary>
    [Id(2)] public string? WorkflowId { get; set; }

    /// <summary>Tells the workflow grain that a resumed creation is this same submission.</summary>
    [Id(3)] public Guid SubmissionKey { get; set; }

    [Id(4)] public WorkflowCreation? Creation { get; set; }

    /// <summary>The taskforce uuid drawn for an add-workers request, recorded before the workflow makes it.</summary>
    [Id(5)] public string? TaskforceUuid { get; set; }

    [Id(6)] public AddWorkersOutcome? Addition { get; set; }
}
