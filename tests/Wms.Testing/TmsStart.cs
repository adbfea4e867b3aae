using System.Text.Json.Nodes;

namespace Wms.Testing;

/// <summary>What the simulated <c>/v1</c> TMS did with one pending-starter offer.</summary>
public enum TmsStartOutcome
{
    /// <summary>Submitted to HTCondor and reported with <c>condor-submit</c>.</summary>
    Submitted,

    /// <summary>Not submitted: the phase read back with <c>GET /v1/taskforces/{uuid}</c> was no longer pending-starter.</summary>
    SkippedNotPendingStarter,

    /// <summary>HTCondor "failed" (<see cref="SimulatedTms.CondorSubmitError"/>) and <c>condor-submit/.../failed</c> was sent.</summary>
    SubmitFailed,
}

/// <summary>One pending-starter offer as the simulated <c>/v1</c> TMS handled it, in the order offered.</summary>
/// <param name="Offer">What the TMS read and built from the answer: the pilot environment and submit description.</param>
/// <param name="Outcome">Submitted, skipped or failed.</param>
/// <param name="PhaseSeen">The phase <c>GET /v1/taskforces/{uuid}</c> answered just before submitting.</param>
/// <param name="ClusterId">The cluster id when submitted, else null.</param>
/// <param name="Body">The body posted to <c>condor-submit</c> or <c>condor-submit/.../failed</c>; null when skipped.</param>
public sealed record TmsStart(PendingStarterOffer Offer, TmsStartOutcome Outcome, string PhaseSeen, long? ClusterId, JsonObject? Body)
{
    /// <summary>The offered taskforce's uuid.</summary>
    public string TaskforceUuid => Offer.TaskforceUuid;
}
