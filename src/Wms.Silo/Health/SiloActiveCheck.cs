using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Wms.Silo.Health;

/// <summary>
/// Readiness: this silo is an active member of the Orleans cluster and is not stopping. A silo that has not joined
/// yet cannot place or reach grains, and one that is stopping is about to drop what it is sent.
/// </summary>
public sealed class SiloActiveCheck(
    IClusterMembershipService membership, ILocalSiloDetails silo, ShutdownDrain drain) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = membership.CurrentSnapshot;
        var status = snapshot.GetSiloStatus(silo.SiloAddress);
        var active = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);
        return Task.FromResult(Judge(status, drain.HasBegun, active));
    }

    /// <summary>
    /// What a silo in <paramref name="status"/> (as the cluster's membership has it) answers; a stop begun here comes
    /// first, since the cluster hears of it only later.
    /// </summary>
    public static HealthCheckResult Judge(SiloStatus status, bool stopping, int activeSilos)
    {
        var data = new Dictionary<string, object>
        {
            ["membership"] = status.ToString(),
            ["active_silos"] = activeSilos,
        };
        if (stopping)
        {
            return HealthCheckResult.Unhealthy("this silo is shutting down", data: data);
        }
        return status switch
        {
            SiloStatus.Active => HealthCheckResult.Healthy(
                string.Create(CultureInfo.InvariantCulture, $"this silo is active in a cluster of {activeSilos} active silos"),
                data),
            SiloStatus.None or SiloStatus.Created or SiloStatus.Joining =>
                HealthCheckResult.Unhealthy($"this silo has not joined the cluster yet ({status})", data: data),
            SiloStatus.ShuttingDown or SiloStatus.Stopping =>
                HealthCheckResult.Unhealthy($"this silo is leaving the cluster ({status})", data: data),
            _ => HealthCheckResult.Unhealthy($"the cluster counts this silo out ({status})", data: data),
        };
    }
}
