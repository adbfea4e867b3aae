namespace Wms.Api.Errors;

/// <summary>
/// The cluster's membership, as far as a resend needs it: a version that moves whenever a silo joins, leaves or is
/// declared dead, and a wait for it to move.
/// </summary>
public interface IMembershipChanges
{
    long Version { get; }

    /// <summary>
    /// Completes once the version has moved past <paramref name="seen"/> (true), or once the longest a dead silo
    /// takes to be declared dead has passed without that (false).
    /// </summary>
    Task<bool> MovedPastAsync(long seen);
}
