using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Npgsql;
using Wms.Api.Errors;
using Wms.Api.Tests.Infrastructure;

namespace Wms.Api.Tests.Faults;

/// <summary>
/// The service's error pipeline on a bare host with endpoints that fail as a dependency would: a read cut short by a
/// passing failure is tried once more; a write is not; what still fails answers 503 with a Retry-After.
/// </summary>
public sealed class SafeRetryTests : IAsyncLifetime
{
    private readonly Dictionary<string, int> _calls = [];
    private WebApplication? _app;
    private HttpClient? _http;

    public async Task InitializeAsync()
    {
        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        _app = builder.Build();
        _app.UseWmsErrors();
        _app.UseRouting();
        _app.UseWmsSafeRetry();
        _app.MapGet("/read-once-rejected", () => FailFirst("read-once-rejected", new SiloUnavailableException("silo shutting down")));
        _app.MapGet("/read-always-down", () => FailFirst("read-always-down", new NpgsqlException("connection refused"), always: true));
        _app.MapPost("/write-once-rejected", () => FailFirst("write-once-rejected", new SiloUnavailableException("silo shutting down")));
        _app.MapGet("/read-bug", () => FailFirst("read-bug", new InvalidOperationException("a bug"), always: true));
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task AReadCutShortByAGrainCallToADeadSiloIsTriedOnceMore()
    {
        using var response = await _http!.GetAsync("read-once-rejected");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
        Assert.Equal(2, _calls["read-once-rejected"]);
    }

    [Fact]
    public async Task AReadThatFailsTwiceAnswers503WithRetryAfter()
    {
        using var response = await _http!.GetAsync("read-always-down");

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        Assert.Equal("""{"code":503,"error":"the database is unavailable; try again"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(2, _calls["read-always-down"]);
    }

    [Fact]
    public async Task AWriteIsNotTriedAgainByTheService()
    {
        using var response = await _http!.PostAsync("write-once-rejected", new StringContent("{}"));

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal(1, _calls["write-once-rejected"]);
    }

    [Fact]
    public async Task AFailureThatIsNoOutageIsA500AndIsNotTriedAgain()
    {
        using var response = await _http!.GetAsync("read-bug");

        Assert.Equal(500, (int)response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
        Assert.Equal(1, _calls["read-bug"]);
    }

    private IResult FailFirst(string name, Exception error, bool always = false)
    {
        int n;
        lock (_calls)
        {
            n = _calls[name] = _calls.GetValueOrDefault(name) + 1;
        }
        return n == 1 || always ? throw error : Results.Text("{}", "application/json");
    }
}
