using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Wms.Grains.Mqs;

namespace Wms.Silo.Health;

/// <summary>
/// Readiness: the MQS is embedded, or the configured one answers (<see cref="MqsReachability"/>). An MQS that does
/// not answer makes the silo Degraded, never Unhealthy: reads, finds and the TMS's polls still work without it and
/// the activation loop waits and retries, and since every silo shares the one MQS, taking them all out of the load
/// balancer for it would turn a partial outage into a total one.
/// </summary>
public sealed class MqsCheck(IOptions<MqsOptions> mqs, MqsReachability reachability) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (mqs.Value.IsEmbedded)
        {
            return HealthCheckResult.Healthy("the MQS is embedded in this process (MQS_ADDRESS is not set)");
        }
        var probe = await reachability.ProbeAsync().WaitAsync(cancellationToken);
        return probe.Reachable
            ? HealthCheckResult.Healthy(probe.Description)
            : new HealthCheckResult(context.Registration.FailureStatus,
                $"{probe.Description}; creating workflows fails and queue activation waits, reads and TMS polls go on");
    }
}
