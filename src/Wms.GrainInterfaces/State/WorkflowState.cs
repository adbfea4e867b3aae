using Wms.Domain.Commands;
using Wms.Domain.Model;

namespace Wms.GrainInterfaces.State;

/// <summary>A workflow grain's durable state: the wire document plus what its background steps need.</summary>
[GenerateSerializer, Alias("Wms.WorkflowState")]
public sealed class WorkflowState
{
    /// <summary>Null until the workflow exists.</summary>
    [Id(0)] public WorkflowDocument? Workflow { get; set; }

    /// <summary>Bumped on every change of <see cref="Workflow"/>, so the index can refuse stale writes.</summary>
    [Id(1)] public long Revision { get; set; }

    /// <summary>The validated request this workflow was made from.</summary>
    [Id(2)] public WorkflowSpec? Spec { get; set; }

    /// <summary>
    /// Set before the one reservation call when the MQS refuses a second one (the MQS of this era does; the embedded
    /// one keeps nothing, so its reservation is simply made again).
    /// </summary>
    [Id(3)] public bool ReservationAttempted { get; set; }

    [Id(4)] public List<MqProfile>? ReservedProfiles { get; set; }

    /// <summary>
    /// With <see cref="Spec"/> and the workflow's timestamp, enough to rebuild every created task directive and
    /// taskforce exactly; their grains take their first state from that when they first activate, so creating a
    /// workflow writes one grain state and one index batch, not one per object.
    /// </summary>
    [Id(5)] public List<WorkflowTask> Tasks { get; set; } = [];

    // Id 6 is not to be reused: rows written by earlier versions may hold a field under it, which Orleans skips.

    /// <summary>Profiles from a successful activation; kept so a resumed activation never asks the MQS again.</summary>
    [Id(7)] public List<MqProfile>? ActivatedProfiles { get; set; }

    /// <summary>Consecutive failed MQS activation calls, for the back-off.</summary>
    [Id(8)] public int ActivationFailures { get; set; }

    /// <summary>False between a deactivation being recorded and every taskforce having been told.</summary>
    [Id(9)] public bool DeactivationPropagated { get; set; }

    /// <summary>A taskforce made by add-workers, kept until its grain holds it.</summary>
    [Id(10)] public TaskforceDocument? PendingTaskforce { get; set; }

    /// <summary>Who deactivated the workflow, kept so a resumed deactivation logs the same subject.</summary>
    [Id(11)] public string? DeactivatedBy { get; set; }

    /// <summary>
    /// The creation's index batch was written. Set without a write of its own (the next change stores it): when it
    /// is lost, the idempotent batch is simply written again.
    /// </summary>
    [Id(12)] public bool CreationIndexed { get; set; }

    /// <summary>When the last MQ activation attempt was made (epoch seconds), for explanations; null before the first.</summary>
    [Id(13)] public double? LastActivationAttemptTs { get; set; }

    /// <summary>Why the last MQ activation attempt failed; null when it did not.</summary>
    [Id(14)] public string? LastActivationError { get; set; }

    /// <summary>Whether the MQS answered the last MQ activation attempt with "try again later".</summary>
    [Id(15)] public bool LastActivationTryAgainLater { get; set; }
}
