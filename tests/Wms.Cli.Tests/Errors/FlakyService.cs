using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Wms.Api.Tests.Infrastructure;

namespace Wms.Cli.Tests.Errors;

/// <summary>
/// A stand-in for a struggling service: <c>POST /v1/workflows</c> answers 503 with a Retry-After for the first
/// <c>failures</c> requests, then a fixed creation. It records each request's time and Idempotency-Key.
/// </summary>
public sealed class FlakyService : IAsyncDisposable
{
    public const string Creation = """{"workflow":{"workflow_id":"WF-1-00000001","timestamp":1.5,"priority":50},"task_directives":[],"taskforces":[]}""";

    private readonly WebApplication _app;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _failuresLeft;

    private FlakyService(WebApplication app, int failures, Uri address)
    {
        _app = app;
        _failuresLeft = failures;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Each request's arrival (since start) and Idempotency-Key, in order.</summary>
    public ConcurrentQueue<(TimeSpan At, string? Key)> Requests { get; } = new();

    public static async Task<FlakyService> StartAsync(int failures, int retryAfterSeconds)
    {
        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var service = new FlakyService(app, failures, new Uri($"http://127.0.0.1:{port}/"));
        app.MapPost("/v1/workflows", (HttpContext context) =>
        {
            service.Requests.Enqueue((service._clock.Elapsed, context.Request.Headers["Idempotency-Key"].FirstOrDefault()));
            if (Interlocked.Decrement(ref service._failuresLeft) >= 0)
            {
                context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Results.Content("""{"code": 503, "error": "the database is restarting"}""", "application/json", null, 503);
            }
            return Results.Content(Creation, "application/json");
        });
        await app.StartAsync();
        return service;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
