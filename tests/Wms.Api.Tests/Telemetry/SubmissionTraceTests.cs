using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Wms.Api.Tests.Infrastructure;
using Wms.Api.Tests.Lifecycle;
using Wms.Testing;

namespace Wms.Api.Tests.Telemetry;

/// <summary>
/// With an OTLP endpoint configured, one submission on PostgreSQL is one trace: the HTTP request, the grain calls it
/// makes, their database statements and the MQS reservation, each under the request's span. With none, nothing
/// traces at all.
/// </summary>
public sealed class SubmissionTraceTests
{
    private const string AspNetCoreSource = "Microsoft.AspNetCore";
    private const string OrleansSource = "Microsoft.Orleans.Application";
    private const string NpgsqlSource = "Npgsql";
    private const string HttpClientSource = "System.Net.Http";

    [Fact]
    public async Task OneSubmissionIsOneTraceFromRequestToDatabaseAndMqs()
    {
        await using var sink = await OtlpSink.StartAsync();
        await using var mqs = await FakeMqs.StartAsync();
        var spans = new SpanCollection();
        await using var server = await WmsServer.StartAsync(StorageMode.Postgres, s =>
            {
                s["MQS_ADDRESS"] = mqs.BaseAddress.ToString();
                sink.Settings(s);
                // Every trace, whatever else runs beside: the standard setting replaces the service's budget.
                s["OTEL_TRACES_SAMPLER"] = "parentbased_always_on";
            },
            // The test's own exporter, beside OTLP, on the service's tracer provider; none is made without OTLP.
            builder => builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        Assert.NotNull(server.Services.GetService<TracerProvider>());

        // The listeners are process-wide and other tests' services run beside this one: the submission is sent under
        // a trace of the test's own, which the request's span joins, so it is told from theirs.
        var testTrace = ActivityTraceId.CreateRandom();
        JsonObject created;
        using (new Activity("submission-trace-test")
            .SetParentId(testTrace, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded)
            .Start())
        {
            created = await new UserClient(server.Http).CreateWorkflowAsync(Flow.SimpleWorkflow(Flow.Alpha));
        }
        var workflowId = Flow.WorkflowId(created);

        // The request's server span, then everything that shares its trace, once the grains' and the database's
        // spans have ended too.
        Activity? request = null;
        List<Activity> trace = [];
        var complete = await Poll.UntilAsync(() =>
        {
            request = spans.Snapshot().SingleOrDefault(a => a.Source.Name == AspNetCoreSource
                && a.Kind == ActivityKind.Server && a.GetTagItem("http.route") as string == "/v0/workflows"
                && a.TraceId == testTrace);
            trace = request is null ? [] : [.. spans.Snapshot().Where(a => a.TraceId == request.TraceId)];
            return trace.Any(a => a.Source.Name == OrleansSource) && trace.Any(a => a.Source.Name == NpgsqlSource)
                && trace.Any(IsMqsReservation);
        }, TimeSpan.FromSeconds(20));
        Assert.True(complete, $"the submission's trace lacks spans; it has: {Describe(trace)}");

        // Every span of the trace descends from the request's, through spans the trace holds.
        var byId = trace.ToDictionary(a => a.SpanId);
        // (The test's own HttpClient span, the request's parent, is left out.)
        foreach (var span in trace.Where(a => a != request && a.SpanId != request!.ParentSpanId && IsOurs(a)))
        {
            Assert.True(DescendsFrom(span, request!, byId), $"{Name(span)} is not under the request; trace: {Describe(trace)}");
        }
        // The workflow grain's creation, in the grains' spans; its state and index rows, in the database's.
        Assert.Contains(trace, a => a.Source.Name == OrleansSource && a.DisplayName.Contains("IWorkflowGrain", StringComparison.Ordinal));
        var statements = trace.Where(a => a.Source.Name == NpgsqlSource).ToList();
        Assert.All(statements, a => Assert.Equal("postgresql", a.GetTagItem("db.system.name")));
        Assert.Contains(statements, a => (a.GetTagItem("db.query.text") as string)?.Contains(
            "public.wms_index_workflow", StringComparison.Ordinal) == true);
        Assert.True(statements.Count >= 2, $"the grain state and the index are two writes; the trace has {Describe(statements)}");
        Assert.Equal(workflowId, Assert.Single(mqs.Reservations).WorkflowId);

        // And the same spans went out by OTLP/HTTP.
        var exported = await Poll.UntilAsync(() => sink.Exports.Any(e => e.Path == "/v1/traces"), TimeSpan.FromSeconds(20));
        Assert.True(exported, $"no trace export reached the OTLP endpoint; it got: {string.Join(", ", sink.Exports)}");
        Assert.All(sink.Exports, e => Assert.Equal("application/x-protobuf", e.ContentType));
    }

    [Fact]
    public async Task WithoutAnOtlpEndpointNothingTraces()
    {
        await using var server = await WmsServer.StartAsync();
        Assert.Null(server.Services.GetService<TracerProvider>());
        // Metrics still have their provider, for /metrics.
        Assert.NotNull(server.Services.GetService<OpenTelemetry.Metrics.MeterProvider>());
    }

    [Fact]
    public async Task WithMetricsOffAndNoOtlpEndpointNothingListens()
    {
        await using var server = await WmsServer.StartAsync(s => s["WMS_METRICS"] = "false");
        Assert.Null(server.Services.GetService<TracerProvider>());
        Assert.Null(server.Services.GetService<OpenTelemetry.Metrics.MeterProvider>());
    }

    private static bool IsMqsReservation(Activity span) =>
        span.Source.Name == HttpClientSource && span.Kind == ActivityKind.Client
        && span.GetTagItem("http.request.method") as string == "POST"
        && (span.GetTagItem("url.full") as string)?.Contains("/mq-group/reservation", StringComparison.Ordinal) == true;

    /// <summary>The service's spans (the fake MQS, an ASP.NET Core host in this process too, makes its own).</summary>
    private static bool IsOurs(Activity span) => span.Source.Name is OrleansSource or NpgsqlSource or HttpClientSource;

    private static bool DescendsFrom(Activity span, Activity ancestor, Dictionary<ActivitySpanId, Activity> byId)
    {
        var parent = span.ParentSpanId;
        for (var hops = 0; hops < 100; hops++)
        {
            if (parent == ancestor.SpanId)
            {
                return true;
            }
            if (!byId.TryGetValue(parent, out var next))
            {
                return false;
            }
            parent = next.ParentSpanId;
        }
        return false;
    }

    private static string Name(Activity span) => $"{span.Source.Name}:{span.DisplayName}";

    private static string Describe(IEnumerable<Activity> spans) => string.Join(", ", spans.Select(Name));
}
