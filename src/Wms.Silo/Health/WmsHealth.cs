using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Wms.Api.Auth;

namespace Wms.Silo.Health;

/// <summary>
/// Health and shutdown: liveness at <c>/healthz</c>, readiness at <c>/readyz</c>, and the drain that makes a stopping
/// silo answer 503 there before it stops serving.
/// </summary>
public static class WmsHealth
{
    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/readyz";

    /// <summary>The tag of the checks <c>/readyz</c> runs; <c>/healthz</c> runs none.</summary>
    public const string ReadinessTag = "ready";

    /// <summary>
    /// Registers the readiness checks (the database's only in PostgreSQL mode), the drain, and the stop's time limit
    /// (<c>WMS_SHUTDOWN_TIMEOUT</c>).
    /// </summary>
    public static IServiceCollection AddWmsHealth(this IServiceCollection services, HostSettings settings)
    {
        services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.Operations.ShutdownTimeout);
        services.AddSingleton<ShutdownDrain>();
        services.AddHostedService(s => s.GetRequiredService<ShutdownDrain>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MqsReachability>();
        // Probes come every few seconds from every orchestrator and load balancer: they leave no log lines.
        services.AddHttpClient(MqsReachability.HttpClientName, http => http.Timeout = MqsReachability.Timeout)
            .RemoveAllLoggers();

        var checks = services.AddHealthChecks()
            .AddCheck<SiloActiveCheck>("silo", HealthStatus.Unhealthy, [ReadinessTag]);
        if (settings.Storage.IsPostgres)
        {
            checks.AddCheck<DatabaseCheck>("database", HealthStatus.Unhealthy, [ReadinessTag]);
        }
        checks.AddCheck<MqsCheck>("mqs", HealthStatus.Degraded, [ReadinessTag]);
        return services;
    }

    /// <summary>Maps both probes, outside <c>/v0</c> and <c>/v1</c>, open to any caller without a token.</summary>
    public static void MapWmsHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks(LivenessPath, Options(_ => false)).AllowAnyCaller();
        routes.MapHealthChecks(ReadinessPath, Options(r => r.Tags.Contains(ReadinessTag))).AllowAnyCaller();
    }

    private static HealthCheckOptions Options(Func<HealthCheckRegistration, bool> predicate) => new()
    {
        Predicate = predicate,
        ResponseWriter = HealthReportJson.WriteAsync,
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            // Degraded serves: see MqsCheck.
            [HealthStatus.Degraded] = StatusCodes.Status200OK,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
    };
}
