using Microsoft.Extensions.Configuration.Memory;

namespace Wms.Silo;

/// <summary>
/// Log levels the service starts from when nobody configured them. ASP.NET Core logs four lines per request at
/// Information and Orleans logs every grain placement through Polly: a large share of the service's CPU while it
/// serves reads, for lines nobody reads. The service's own Information lines (one per workflow created, for
/// instance) stay. The health checks log each failed check of each probe as an error, though a probe's answer already
/// names the check and why, and a stopping silo fails its readiness on purpose.
/// </summary>
public static class LoggingDefaults
{
    public static readonly IReadOnlyDictionary<string, string?> Levels = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Polly"] = "Warning",
        // Orleans dumps every options class and each step of joining at Information: some 200 lines per start. The
        // service says what an operator needs in a few lines of its own (WmsHost, ClusterMembershipLog); the dumps
        // are there at Information or Debug for whoever sets Logging:LogLevel:Orleans.
        ["Logging:LogLevel:Orleans"] = "Warning",
        // Orleans' watchdog may warn of a check "not completed for" the machine's whole uptime once at start (its
        // first look compares with a clock that has not started). Starvation shows in the runtime metrics instead.
        ["Logging:LogLevel:Orleans.Runtime.Watchdog"] = "Error",
        // "Application started. Press Ctrl+C", the content root and the environment: not an operator's concern.
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "Critical",
    };

    /// <summary>Adds the defaults below every other source, so appsettings, the environment and the command line win.</summary>
    public static void AddTo(IConfigurationBuilder configuration) =>
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Levels });
}
