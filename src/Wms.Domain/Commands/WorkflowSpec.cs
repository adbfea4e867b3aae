using Wms.Domain.Model;

namespace Wms.Domain.Commands;

/// <summary>
/// A workflow request after validation: every location resolved and the pilot tag pinned, so that creating it
/// can no longer fail on the request's content.
/// </summary>
/// <remarks>Collections are kept as stored (<see cref="StoredCollections"/>) and handed out read-only.</remarks>
[GenerateSerializer, Immutable, Alias("Wms.WorkflowSpec")]
public sealed record WorkflowSpec
{
    [Id(1)] private readonly List<string> _publicQueueAliases = null!;
    [Id(2)] private readonly List<TaskSpec> _tasks = null!;

    [Id(0)] public required int Priority { get; init; }

    public required IReadOnlyList<string> PublicQueueAliases
    {
        get => _publicQueueAliases;
        init => _publicQueueAliases = StoredCollections.ListOf(value);
    }

    public required IReadOnlyList<TaskSpec> Tasks
    {
        get => _tasks;
        init => _tasks = StoredCollections.ListOf(value);
    }

    /// <summary>The authenticated subject who submitted it; null when authentication is off.</summary>
    [Id(3)] public string? CreatedBy { get; init; }

    /// <summary>
    /// Names one submission. Workflow ids are drawn at random, so two submissions can draw the same id; the key
    /// tells a repeat of this submission (answered with the same objects) from another one (refused).
    /// </summary>
    [Id(4)] public required Guid SubmissionKey { get; init; }

    /// <summary>The protocol it came through, which picks the texts of its log entries.</summary>
    [Id(5)] public ApiGeneration Generation { get; init; }
}
