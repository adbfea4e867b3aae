namespace Wms.Domain.Model;

/// <summary>The wire names of a taskforce's phases, in lifecycle order.</summary>
public static class Phase
{
    public const string PreMqActivation = "pre-mq-activation";
    public const string PreLaunch = "pre-launch";
    public const string PendingStarter = "pending-starter";
    public const string CondorSubmit = "condor-submit";
    public const string PendingStopper = "pending-stopper";
    public const string CondorRm = "condor-rm";
    public const string CondorComplete = "condor-complete";

    public static readonly IReadOnlyList<string> All =
    [
        PreMqActivation, PreLaunch, PendingStarter, CondorSubmit, PendingStopper, CondorRm, CondorComplete,
    ];

    /// <summary>Phases after which a deactivation has nothing left to stop.</summary>
    public static bool IsEndingOrFinished(string phase) =>
        phase is PendingStopper or CondorRm or CondorComplete;
}
