namespace Wms.Domain.Commands;

/// <summary>
/// A workflow request after validation: every location resolved and the pilot tag pinned, so that creating it
/// can no longer fail on the request's content.
/// </summary>
[GenerateSerializer, Immutable, Alias("Wms.WorkflowSpec")]
public sealed record WorkflowSpec
{
    [Id(0)] public required int Priority { get; init; }
    [Id(1)] public required List<string> PublicQueueAliases { get; init; }
    [Id(2)] public required List<TaskSpec> Tasks { get; init; }

    /// <summary>The authenticated subject who submitted it; null when authentication is off.</summary>
    [Id(3)] public string? CreatedBy { get; init; }

    /// <summary>
    /// Names one submission. Workflow ids are drawn at random, so two submissions can draw the same id; the key
    /// tells a repeat of this submission (answered with the same objects) from another one (refused).
    /// </summary>
    [Id(4)] public required Guid SubmissionKey { get; init; }
}
