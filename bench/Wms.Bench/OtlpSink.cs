using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Wms.Bench;

/// <summary>
/// Where the service with telemetry on sends it: an OTLP/HTTP receiver that accepts every export (<c>POST
/// /v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>), reads it whole and keeps nothing but a count, run as its
/// own process (the bench runs itself with <c>--serve-otlp-sink PORT PARENT_PID</c>) so that what it costs is not
/// charged to the bench. <c>GET /stats</c> tells what arrived.
/// </summary>
public static class OtlpSink
{
    public const string Flag = "--serve-otlp-sink";

    private static readonly string[] Signals = ["traces", "metrics", "logs"];

    /// <summary>Starts the sink process and waits until it answers.</summary>
    public static async Task<(ChildProcess Process, Uri Address)> StartAsync()
    {
        var port = ChildProcess.FreePort();
        var process = ChildProcess.StartDotnet(typeof(OtlpSink).Assembly.Location,
            [Flag, port.ToString(CultureInfo.InvariantCulture), Environment.ProcessId.ToString(CultureInfo.InvariantCulture)],
            new Dictionary<string, string>
            {
                ["DOTNET_TieredCompilation"] = "1",
                ["Logging__LogLevel__Default"] = "Warning",
            });
        var address = new Uri($"http://127.0.0.1:{port}/");
        using var probe = new BenchHttp(address);
        try
        {
            await probe.WaitUntilUpAsync("stats", TimeSpan.FromSeconds(60), process.ExitReason);
        }
        catch
        {
            process.Dispose();
            throw;
        }
        return (process, address);
    }

    /// <summary>What the sink received: per signal, the exports and their bytes.</summary>
    public static async Task<JsonObject> StatsAsync(Uri address)
    {
        using var http = new BenchHttp(address);
        var reply = await http.GetAsync(Recorder.Discard().Of("stats"), "stats");
        return reply.Ok ? JsonNode.Parse(reply.Body)!.AsObject() : new JsonObject { ["error"] = $"status {reply.Status}" };
    }

    /// <summary>The body of the child process: accept exports until the parent is gone.</summary>
    public static async Task<int> ServeAsync(string[] args)
    {
        var port = int.Parse(args[1], CultureInfo.InvariantCulture);
        var parent = int.Parse(args[2], CultureInfo.InvariantCulture);
        var requests = new long[Signals.Length];
        var bytes = new long[Signals.Length];
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapPost("/v1/{signal}", async (HttpContext context, string signal) =>
        {
            var which = Array.IndexOf(Signals, signal);
            if (which < 0)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            var buffer = new byte[16 * 1024];
            long read = 0;
            int n;
            while ((n = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                read += n;
            }
            Interlocked.Increment(ref requests[which]);
            Interlocked.Add(ref bytes[which], read);
            // An empty Export*ServiceResponse: everything accepted.
            context.Response.ContentType = "application/x-protobuf";
        });
        app.MapGet("/stats", () =>
        {
            var stats = new JsonObject();
            for (var i = 0; i < Signals.Length; i++)
            {
                stats[Signals[i]] = new JsonObject
                {
                    ["requests"] = Interlocked.Read(ref requests[i]),
                    ["bytes"] = Interlocked.Read(ref bytes[i]),
                };
            }
            return Results.Text(stats.ToJsonString(), "application/json");
        });
        await app.StartAsync();
        while (ChildProcess.IsAlive(parent))
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        await app.StopAsync();
        return 0;
    }
}
