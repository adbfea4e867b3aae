using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wms.Api.Security;
using Wms.Api.Tests.Infrastructure;
using Wms.Silo.Http1;

namespace Wms.Api.Tests.Http1;

/// <summary>
/// The HTTP server with the service's limits and nothing in front of it: what it refuses by itself, and what it
/// lets through (answered with an <c>X-Reached</c> header), is what the first-request judge must agree with.
/// </summary>
public sealed class BareKestrel : IAsyncLifetime
{
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The limits the judge is given for this server, read from it as the service reads its own.</summary>
    public Wms.Api.Http1.RequestHeadLimits Limits { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            // As the service's host sets them.
            k.Limits.MaxRequestLineSize = RequestLimits.ServerRequestLineBytes;
            k.Limits.MaxRequestHeadersTotalSize = RequestLimits.ServerHeaderBytes;
            k.Listen(IPAddress.Loopback, port);
        });
        _app = builder.Build();
        // Not a 2xx, which would open a tunnel for a CONNECT, and no body, which a HEAD may not have.
        _app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status418ImATeapot;
            context.Response.Headers["X-Reached"] = "yes";
            context.Response.ContentLength = 0;
            return Task.CompletedTask;
        });
        await _app.StartAsync();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        Limits = FirstRequestCheck.LimitsOf(_app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<KestrelServerOptions>>().Value);
    }

    /// <summary>What the server does with <paramref name="request"/>: refuses it (its status), lets it through, or waits for more.</summary>
    public async Task<ServerOutcome> JudgeAsync(byte[] request, TimeSpan waitForMore)
    {
        try
        {
            var answer = await RawHttp.SendAsync(BaseAddress, request, waitForMore);
            if (answer.IsEmpty)
            {
                return ServerOutcome.Closed;
            }
            return answer.Headers.ContainsKey("x-reached") ? ServerOutcome.Passed : ServerOutcome.Refused(answer.Status);
        }
        catch (TimeoutException)
        {
            return ServerOutcome.Waiting;
        }
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
