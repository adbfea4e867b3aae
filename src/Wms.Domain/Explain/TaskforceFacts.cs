using Wms.Domain.Index;
using Wms.Domain.Model;

namespace Wms.Domain.Explain;

/// <summary>Everything the service knows that explains one taskforce, gathered at one moment.</summary>
public sealed record TaskforceFacts
{
    public required TaskforceDocument Taskforce { get; init; }

    public required WorkflowDocument Workflow { get; init; }

    /// <summary>The workflow's MQ activation attempts; needed only while its queues wait to be activated.</summary>
    public ActivationAttempts Activation { get; init; } = ActivationAttempts.None;

    /// <summary>The taskforce's 1-based place in launch control's queue; null when it is not in it.</summary>
    public int? LaunchPosition { get; init; }

    /// <summary>How many taskforces launch control's queue holds.</summary>
    public int LaunchQueueLength { get; init; }

    /// <summary>When the TMS at the taskforce's schedd last asked for work to start (epoch seconds); null: never seen.</summary>
    public double? LastStarterPollTs { get; init; }

    /// <summary>When the TMS at the taskforce's schedd last asked for work to stop (epoch seconds); null: never seen.</summary>
    public double? LastStopperPollTs { get; init; }

    /// <summary>The taskforce's status history, oldest first; empty when none is kept or none was reported.</summary>
    public IReadOnlyList<StatusHistoryEntry> StatusHistory { get; init; } = [];
}
