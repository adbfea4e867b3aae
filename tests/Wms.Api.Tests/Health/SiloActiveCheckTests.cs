using Microsoft.Extensions.Diagnostics.HealthChecks;
using Wms.Silo.Health;

namespace Wms.Api.Tests.Health;

/// <summary>
/// The readiness of a silo in each membership status, including those a running host never shows over HTTP (its web
/// server listens only once the silo is active): only an active silo that is not stopping is ready.
/// </summary>
public sealed class SiloActiveCheckTests
{
    [Theory]
    [InlineData(SiloStatus.None, "this silo has not joined the cluster yet (None)")]
    [InlineData(SiloStatus.Created, "this silo has not joined the cluster yet (Created)")]
    [InlineData(SiloStatus.Joining, "this silo has not joined the cluster yet (Joining)")]
    [InlineData(SiloStatus.ShuttingDown, "this silo is leaving the cluster (ShuttingDown)")]
    [InlineData(SiloStatus.Stopping, "this silo is leaving the cluster (Stopping)")]
    [InlineData(SiloStatus.Dead, "the cluster counts this silo out (Dead)")]
    public void ASiloThatIsNotActiveIsUnhealthy(SiloStatus status, string description)
    {
        var result = SiloActiveCheck.Judge(status, stopping: false, activeSilos: 2);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal(description, result.Description);
        Assert.Equal(status.ToString(), result.Data["membership"]);
    }

    [Fact]
    public void AnActiveSiloIsHealthyAndCountsTheActiveSilos()
    {
        var result = SiloActiveCheck.Judge(SiloStatus.Active, stopping: false, activeSilos: 3);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal("this silo is active in a cluster of 3 active silos", result.Description);
        Assert.Equal(3, result.Data["active_silos"]);
    }

    [Theory]
    [InlineData(SiloStatus.Active)]
    [InlineData(SiloStatus.ShuttingDown)]
    public void AStopBegunHereIsUnhealthyBeforeTheClusterHearsOfIt(SiloStatus status)
    {
        var result = SiloActiveCheck.Judge(status, stopping: true, activeSilos: 2);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("this silo is shutting down", result.Description);
    }

    [Fact]
    public void EveryStatusOrleansHasIsJudged()
    {
        // A status added by a later Orleans must be looked at, not fall through unnoticed.
        Assert.Equal(
            [SiloStatus.None, SiloStatus.Created, SiloStatus.Joining, SiloStatus.Active, SiloStatus.ShuttingDown,
                SiloStatus.Stopping, SiloStatus.Dead],
            Enum.GetValues<SiloStatus>());
    }
}
