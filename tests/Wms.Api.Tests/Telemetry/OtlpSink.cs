using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Wms.Api.Tests.Infrastructure;

namespace Wms.Api.Tests.Telemetry;

/// <summary>
/// An OTLP/HTTP receiver that accepts every export (<c>POST /v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>),
/// notes what came, and keeps none of it: proof that a service configured with <see cref="Settings"/> exports.
/// </summary>
public sealed class OtlpSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Path, string? ContentType, long Bytes)> _exports = new();

    private OtlpSink(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Every export received so far: its path, content type and size.</summary>
    public IReadOnlyList<(string Path, string? ContentType, long Bytes)> Exports => [.. _exports];

    /// <summary>The standard settings that point a service's OTLP exporters here, exporting soon after each span.</summary>
    public void Settings(Dictionary<string, string?> settings)
    {
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = Address.ToString();
        settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        settings["OTEL_BSP_SCHEDULE_DELAY"] = "100";
        settings["OTEL_METRIC_EXPORT_INTERVAL"] = "500";
    }

    public static async Task<OtlpSink> StartAsync()
    {
        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var sink = new OtlpSink(app, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"));
        app.MapPost("/v1/{signal}", async (HttpContext context, string signal) =>
        {
            var bytes = 0L;
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                bytes += read;
            }
            sink._exports.Enqueue(($"/v1/{signal}", context.Request.ContentType, bytes));
            // An empty Export*ServiceResponse: everything accepted.
            context.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync();
        return sink;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
