using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Wms.Api.Tests.Auth;

/// <summary>
/// A local OAuth2 token endpoint (client credentials) on loopback: hands out numbered tokens, records what each
/// request carried, and can be told to fail.
/// </summary>
public sealed class TokenEndpoint : IAsyncDisposable
{
    public const string ClientId = "wms-test-client";
    public const string ClientSecret = "s3cret-client-secret-never-logged";

    private readonly Lock _gate = new();
    private readonly List<IReadOnlyDictionary<string, string>> _requests = [];
    private WebApplication? _app;
    private int _issued;
    private int? _failWith;
    private int _healthyLeft = int.MaxValue;

    /// <summary>The URL to give as MQS_TOKEN_URL.</summary>
    public string Url { get; private set; } = "";

    /// <summary><c>expires_in</c> of the tokens handed out, in seconds.</summary>
    public double ExpiresIn { get; set; } = 300;

    /// <summary>The form of every request so far (including failed ones).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToArray();
            }
        }
    }

    public int Issued => Volatile.Read(ref _issued);

    /// <summary>The token the <paramref name="n"/>th successful request got (1-based).</summary>
    public static string TokenNumber(int n) => $"mqs-access-token-{n}-abcdef";

    /// <summary>Every request answers <paramref name="status"/> until <see cref="Recover"/>.</summary>
    public void FailWith(int status) => FailAfter(0, status);

    /// <summary>The next <paramref name="n"/> requests succeed, every later one answers <paramref name="status"/>.</summary>
    public void FailAfter(int n, int status)
    {
        lock (_gate)
        {
            _healthyLeft = n;
            _failWith = status;
        }
    }

    public void Recover()
    {
        lock (_gate)
        {
            _failWith = null;
            _healthyLeft = int.MaxValue;
        }
    }

    public static async Task<TokenEndpoint> StartAsync()
    {
        var endpoint = new TokenEndpoint();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.MapPost("/token", endpoint.HandleAsync);
        await app.StartAsync();
        endpoint._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        endpoint.Url = address.TrimEnd('/') + "/token";
        return endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        int? failure;
        lock (_gate)
        {
            _requests.Add(form.ToDictionary(f => f.Key, f => f.Value.ToString()));
            failure = _healthyLeft-- > 0 ? null : _failWith;
        }
        if (failure is { } status)
        {
            context.Response.StatusCode = status;
            // Identity providers echo what they were sent; the WMS must not pass that on.
            await context.Response.WriteAsync($"{{\"error\": \"unavailable\", \"client_secret\": \"{ClientSecret}\"}}");
            return;
        }
        var n = Interlocked.Increment(ref _issued);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(
            $"{{\"access_token\": \"{TokenNumber(n)}\", \"token_type\": \"Bearer\", \"expires_in\": {ExpiresIn.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}");
    }
}

/// <summary>A clock that moves only when told to.</summary>
public sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

/// <summary>The simplest <see cref="IHttpClientFactory"/>: a new client per call over one shared handler.</summary>
public sealed class PlainHttpClients : IHttpClientFactory, IDisposable
{
    private readonly HttpMessageHandler _handler = new SocketsHttpHandler();

    public HttpClient CreateClient(string name) => new(_handler, disposeHandler: false);

    public void Dispose() => _handler.Dispose();
}
