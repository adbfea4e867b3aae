using System.Reflection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Wms.Api.Auth;
using Wms.Api.Telemetry;
using Wms.GrainInterfaces.Telemetry;
using Wms.Grains.Telemetry;
using Wms.Silo.Configuration;

namespace Wms.Silo.Telemetry;

/// <summary>
/// Metrics and traces through OpenTelemetry. Metrics: the service's own (<see cref="WmsMetrics"/>), Orleans',
/// ASP.NET Core's, HttpClient's (the MQS), Npgsql's and the .NET runtime's, served for Prometheus at
/// <see cref="MetricsPath"/> unless <c>WMS_METRICS=false</c>. Metrics, traces and logs go out by OTLP when the
/// standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, configured by the SDK from the standard <c>OTEL_*</c>
/// variables. With neither, nothing is registered at all: no provider listens, so instruments and activity
/// sources cost a check of a flag.
/// </summary>
/// <remarks>
/// Traces exist only where an exporter takes them: a tracer provider samples every request by default, and with
/// nobody to send spans to that would be work for nothing. A test adds its own exporter to this provider with
/// <c>ConfigureOpenTelemetryTracerProvider</c>, beside an OTLP endpoint.
/// </remarks>
public static class WmsTelemetry
{
    public const string MetricsPath = "/metrics";

    /// <summary>The service's name in telemetry, unless <c>OTEL_SERVICE_NAME</c> gives another.</summary>
    public const string ServiceName = "wms";

    /// <summary>
    /// New traces kept per second by each silo unless <c>OTEL_TRACES_SAMPLER</c> says otherwise
    /// (<see cref="TraceBudgetSampler"/>).
    /// </summary>
    public const double TracesPerSecond = 10;

    /// <summary>Orleans' meter, and its activity source for calls to the application's grains.</summary>
    private const string OrleansMeter = "Microsoft.Orleans";
    private const string OrleansApplicationSource = "Microsoft.Orleans.Application";

    /// <summary>
    /// Requests that make no trace: scrapes and probes come every few seconds from machines, and would bury the
    /// traces of the work itself.
    /// </summary>
    private static readonly string[] UntracedPaths = [MetricsPath, "/healthz", "/readyz"];

    /// <summary>
    /// Npgsql's instruments recorded on every statement besides its duration: a submission runs about twenty
    /// statements, and these three made most of what metrics cost it (Docs/performance.md). Its durations and its
    /// connection pools' instruments stay.
    /// </summary>
    private static readonly string[] DroppedInstruments =
    [
        "db.client.operation.npgsql.bytes_read", "db.client.operation.npgsql.bytes_written",
        "db.client.operation.npgsql.executing",
    ];

    /// <summary>Whether OTLP export is configured: the standard variable, or the same key in configuration.</summary>
    public static bool ExportsOtlp(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    /// <summary>Registers what <paramref name="operations"/> and the <c>OTEL_*</c> settings ask for.</summary>
    public static WebApplicationBuilder AddWmsTelemetry(this WebApplicationBuilder builder, OperationsOptions operations)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(operations);
        var otlp = ExportsOtlp(builder.Configuration);
        if (!operations.Metrics && !otlp)
        {
            return builder;
        }
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService(ServiceName, serviceNamespace: "ewms", serviceVersion: Version());
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(WmsMetrics.MeterName, OrleansMeter)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation()
                    // The gauges' keepers, made when the provider is: their gauges are there from the first scrape.
                    .AddInstrumentation(services => services.GetRequiredService<TaskforceCensus>())
                    .AddInstrumentation(services => services.GetRequiredService<TmsPollMetrics>());
                foreach (var instrument in DroppedInstruments)
                {
                    metrics.AddView(instrument, MetricStreamConfiguration.Drop);
                }
                if (operations.Metrics)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation(o => o.Filter = context =>
                        !UntracedPaths.Any(path => context.Request.Path.StartsWithSegments(path)))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql()
                    .AddSource(OrleansApplicationSource);
                // The SDK reads the standard sampler setting only when none is set here.
                if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_TRACES_SAMPLER"]))
                {
                    tracing.SetSampler(new ParentBasedSampler(new TraceBudgetSampler(TracesPerSecond, TimeProvider.System)));
                }
            });
            // A trace follows a request from grain to grain.
            builder.UseOrleans(silo => silo.AddActivityPropagation());
            // Every signal, each configured by the SDK from the standard variables (endpoint, protocol, headers,
            // per-signal overrides, export intervals, the sampler).
            telemetry.UseOtlpExporter();
        }
        return builder;
    }

    /// <summary>
    /// Serves the Prometheus scrape at <see cref="MetricsPath"/>, to anyone (an orchestrator or a Prometheus server
    /// scrapes without a token), when metrics are on; otherwise the path answers 404 like any unknown one.
    /// </summary>
    public static WebApplication MapWmsMetrics(this WebApplication app, OperationsOptions operations)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(operations);
        if (operations.Metrics)
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnyCaller();
        }
        return app;
    }

    private static string? Version() =>
        typeof(WmsTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
}
