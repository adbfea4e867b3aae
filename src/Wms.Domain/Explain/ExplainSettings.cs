namespace Wms.Domain.Explain;

/// <summary>
/// The service's settings an explanation judges by: failed condor-submit (or condor-rm) reports after which the TMS
/// is no longer offered a taskforce (<c>TMS_ACTION_RETRIES</c>), how long a schedd's TMS may stay silent before it
/// looks down, and launch control's pace (zero: unpaced).
/// </summary>
public sealed record ExplainSettings(int TmsActionRetries, TimeSpan TmsSilentAfter, TimeSpan LaunchDelay);
