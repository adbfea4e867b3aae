namespace Wms.Domain.Explain;

/// <summary>
/// The stable codes of what a taskforce waits for (or why it waits no more), in lifecycle order. Clients match on
/// these; the messages beside them are for people and may be reworded.
/// </summary>
public static class ExplainReason
{
    /// <summary>The workflow's queues are not activated yet: the MQS has not been asked, is busy, or fails.</summary>
    public const string MqActivationPending = "mq-activation-pending";

    /// <summary>Queues activated; launch control releases the taskforce to the TMS in its turn.</summary>
    public const string LaunchQueue = "launch-queue";

    /// <summary>Offered to its schedd's TMS, which polls: it should take the taskforce soon.</summary>
    public const string WaitingForTms = "waiting-for-tms";

    /// <summary>Waiting for its schedd's TMS (to start or to remove), which has stopped polling.</summary>
    public const string TmsNotPolling = "tms-not-polling";

    /// <summary>Its submissions failed past the retry limit: it is no longer offered, and will not start.</summary>
    public const string SubmitRetryLimit = "submit-retry-limit";

    /// <summary>Submitted to HTCondor; the TMS has not reported on its workers yet.</summary>
    public const string SubmittedNoReport = "submitted-no-report";

    /// <summary>Submitted, and some of its workers run.</summary>
    public const string Running = "running";

    /// <summary>Submitted; its workers wait for a slot, none runs and none is held.</summary>
    public const string WorkersIdle = "workers-idle";

    /// <summary>Submitted; at least as many workers are held as run.</summary>
    public const string WorkersHeld = "workers-held";

    /// <summary>Submitted; the TMS reports workers, but none runs, waits or is held.</summary>
    public const string NoActiveWorkers = "no-active-workers";

    /// <summary>Stopped; its schedd's TMS is to remove the HTCondor cluster.</summary>
    public const string RemovalPending = "removal-pending";

    /// <summary>Stopped; the removals of its cluster failed past the retry limit, so the TMS is no longer asked.</summary>
    public const string RmRetryLimit = "rm-retry-limit";

    /// <summary>The TMS removed the cluster; it has not reported the cluster complete yet.</summary>
    public const string Removed = "removed";

    /// <summary>The workflow ended before this taskforce was submitted: it never ran, and nothing is left to do.</summary>
    public const string StoppedBeforeSubmit = "stopped-before-submit";

    /// <summary>HTCondor completed the cluster.</summary>
    public const string Finished = "finished";

    /// <summary>Every reason, in lifecycle order (the order summaries name them in).</summary>
    public static readonly IReadOnlyList<string> All =
    [
        MqActivationPending, LaunchQueue, WaitingForTms, TmsNotPolling, SubmitRetryLimit, SubmittedNoReport, Running,
        WorkersIdle, WorkersHeld, NoActiveWorkers, RemovalPending, RmRetryLimit, Removed, StoppedBeforeSubmit, Finished,
    ];
}
