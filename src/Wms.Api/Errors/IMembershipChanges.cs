namespace Wms.Api.Errors;

/// <summary>
/// The cluster's membership, as far as a resend needs it: a version that moves with every change, and a wait for a
/// silo to be gone (declared dead, or left).
/// </summary>
public interface IMembershipChanges
{
    long Version { get; }

    /// <summary>
    /// Completes once a silo that was active at version <paramref name="seen"/> is no longer (true; also at once
    /// when the membership has changed since, whatever the change), or once the longest a dead silo takes to be
    /// declared dead has passed without that (false).
    /// </summary>
    Task<bool> SiloGoneAsync(long seen);
}
