using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Wms.Api.Errors;

namespace Wms.Silo;

/// <summary>
/// The cluster's membership for the API's resends, from Orleans' own view of it. A wait lasts at most as long as a
/// dead silo takes to be declared dead with the configured probes, with two probe periods to spare (for the vote, and
/// a loaded machine), and never more than <see cref="LongestWait"/>, so that a request is not held much longer than a
/// client would wait.
/// </summary>
public sealed class MembershipChanges(IClusterMembershipService membership, IOptions<ClusterMembershipOptions> options)
    : IMembershipChanges
{
    public static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(30);

    public long Version => membership.CurrentSnapshot.Version.Value;

    public async Task<bool> SiloGoneAsync(long seen)
    {
        var before = membership.CurrentSnapshot;
        if (before.Version.Value > seen)
        {
            return true;
        }
        var active = before.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToList();
        using var bound = new CancellationTokenSource(Bound(options.Value));
        try
        {
            // A suspicion vote or a silo joining changes the version too: only a silo gone moves its grains.
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(bound.Token))
            {
                if (active.Any(silo => snapshot.GetSiloStatus(silo) != SiloStatus.Active))
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
        }
        return false;
    }

    /// <summary>How long a silo that stopped answering takes to be declared dead, at most.</summary>
    public static TimeSpan Bound(ClusterMembershipOptions options)
    {
        var declared = options.ProbeTimeout * (options.NumMissedProbesLimit + 2);
        return declared < LongestWait ? declared : LongestWait;
    }
}
