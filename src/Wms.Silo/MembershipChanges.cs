using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Wms.Api.Errors;

namespace Wms.Silo;

/// <summary>
/// The cluster's membership for the API's resends, from Orleans' own view of it. A wait lasts at most as long as a
/// dead silo takes to be declared dead with the configured probes (one probe period more, for the vote), and never
/// more than <see cref="LongestWait"/>, so that a request is not held much longer than a client would wait.
/// </summary>
public sealed class MembershipChanges(IClusterMembershipService membership, IOptions<ClusterMembershipOptions> options)
    : IMembershipChanges
{
    public static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(30);

    public long Version => membership.CurrentSnapshot.Version.Value;

    public async Task<bool> MovedPastAsync(long seen)
    {
        using var bound = new CancellationTokenSource(Bound(options.Value));
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(bound.Token))
            {
                if (snapshot.Version.Value > seen)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
        }
        return membership.CurrentSnapshot.Version.Value > seen;
    }

    /// <summary>How long a silo that stopped answering takes to be declared dead, at most.</summary>
    public static TimeSpan Bound(ClusterMembershipOptions options)
    {
        var declared = options.ProbeTimeout * (options.NumMissedProbesLimit + 1);
        return declared < LongestWait ? declared : LongestWait;
    }
}
