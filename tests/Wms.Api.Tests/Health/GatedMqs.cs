using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Wms.Api.Tests.Infrastructure;
using Wms.Testing;

namespace Wms.Api.Tests.Health;

/// <summary>
/// A fake MQS behind a gate: queue reservations wait at the gate until the test opens it, then go on to the fake MQS,
/// as everything else does at once. It keeps a submission in flight for as long as a test needs.
/// </summary>
public sealed class GatedMqs : IAsyncDisposable
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _reservationWaits = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HttpClient _forward = new();
    private FakeMqs? _mqs;
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Completes once a reservation waits at the gate.</summary>
    public Task ReservationWaits => _reservationWaits.Task;

    public static async Task<GatedMqs> StartAsync()
    {
        var gated = new GatedMqs();
        gated._mqs = await FakeMqs.StartAsync();
        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        gated._app = builder.Build();
        gated._app.Run(gated.ForwardAsync);
        await gated._app.StartAsync();
        gated.BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        return gated;
    }

    public void Open() => _gate.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Open();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        if (_mqs is not null)
        {
            await _mqs.DisposeAsync();
        }
        _forward.Dispose();
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsPost(request.Method) && request.Path.Value!.EndsWith("/mq-group/reservation", StringComparison.Ordinal))
        {
            _reservationWaits.TrySetResult();
            await _gate.Task;
        }
        using var forwarded = new HttpRequestMessage(new HttpMethod(request.Method),
            new Uri(_mqs!.BaseAddress, $"{request.Path}{request.QueryString}"));
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            forwarded.Content = new StreamContent(request.Body);
            forwarded.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        }
        if (request.Headers.Authorization.Count > 0)
        {
            forwarded.Headers.TryAddWithoutValidation("Authorization", request.Headers.Authorization.ToString());
        }
        using var answer = await _forward.SendAsync(forwarded);
        context.Response.StatusCode = (int)answer.StatusCode;
        context.Response.ContentType = answer.Content.Headers.ContentType?.ToString();
        await answer.Content.CopyToAsync(context.Response.Body);
    }
}
