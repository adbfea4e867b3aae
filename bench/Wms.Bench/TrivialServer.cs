using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Wms.Bench;

/// <summary>
/// The HTTP ceiling: an ASP.NET Core endpoint that does nothing but answer <c>{}</c>, run as its own process (the bench
/// runs itself with <c>--serve-trivial PORT PARENT_PID</c>) with the same server GC and socket transport settings as
/// the service.
/// </summary>
public static class TrivialServer
{
    public const string Flag = "--serve-trivial";
    public const string Path = "v0/";

    private static readonly byte[] Answer = "{}"u8.ToArray();

    /// <summary>Starts the server process and waits until it answers.</summary>
    public static async Task<(ChildProcess Process, Uri Address)> StartAsync()
    {
        var port = ChildProcess.FreePort();
        var process = ChildProcess.StartDotnet(typeof(TrivialServer).Assembly.Location,
            [Flag, port.ToString(CultureInfo.InvariantCulture), Environment.ProcessId.ToString(CultureInfo.InvariantCulture)],
            new Dictionary<string, string>
            {
                // The service runs with server GC (the web SDK's default) and tiered compilation; so does its ceiling.
                ["DOTNET_gcServer"] = "1",
                ["DOTNET_TieredCompilation"] = "1",
                ["Logging__LogLevel__Default"] = "Warning",
            });
        var address = new Uri($"http://127.0.0.1:{port}/");
        using var probe = new BenchHttp(address);
        try
        {
            await probe.WaitUntilUpAsync(Path, TimeSpan.FromSeconds(60), process.ExitReason);
        }
        catch
        {
            process.Dispose();
            throw;
        }
        return (process, address);
    }

    /// <summary>The body of the child process: serve until the parent is gone.</summary>
    public static async Task<int> ServeAsync(string[] args)
    {
        var port = int.Parse(args[1], CultureInfo.InvariantCulture);
        var parent = int.Parse(args[2], CultureInfo.InvariantCulture);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        // The service's transport setting (WmsHost), so that the ceiling is the same HTTP stack.
        builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
        var app = builder.Build();
        app.MapGet("/" + Path, (HttpContext context) =>
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = Answer.Length;
            return context.Response.Body.WriteAsync(Answer).AsTask();
        });
        await app.StartAsync();
        // Never outlive the bench, even when it is killed.
        while (ChildProcess.IsAlive(parent))
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        await app.StopAsync();
        return 0;
    }
}
