using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Wms.Silo;
using Wms.Testing;

namespace Wms.Api.Tests.Infrastructure;

/// <summary>
/// A real WMS host (silo and Kestrel) in this process, on ports of its own, reached over real HTTP.
/// Test defaults: pools test-alpha and test-beta, a few pilot tags, and fast background loops.
/// </summary>
public sealed class WmsServer : IAsyncDisposable
{
    public const string AlphaCollector = "COLLECTOR1";
    public const string AlphaSchedd = "SCHEDD1";
    public const string BetaCollector = "COLLECTOR2";
    public const string BetaSchedd = "SCHEDD2";

    private readonly WebApplication _app;
    private Task? _stopping;

    private WmsServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    public static Dictionary<string, string?> DefaultSettings() => new()
    {
        ["WMS_CLUSTER_LOCATIONS"] =
            $"{{\"test-alpha\": {Pool(AlphaCollector, AlphaSchedd)}, \"test-beta\": {Pool(BetaCollector, BetaSchedd)}}}",
        ["WMS_PILOT_TAGS"] = "0.9.1,1.2.3,1.10.0,dev-abc123",
        ["WORKFLOW_MQ_ACTIVATOR_DELAY"] = "0.2",
        ["WORKFLOW_MQ_ACTIVATOR_MQS_RETRY_WAIT"] = "1",
        ["TASKFORCE_LAUNCH_CONTROL_DELAY"] = "0",
        ["WMS_LOOP_REMINDER_PERIOD"] = "5",
        ["MQS_REQUEST_TIMEOUT"] = "2",
        // No load balancer waits on a test host to turn away: it stops at once (drain tests set their own).
        ["WMS_SHUTDOWN_DRAIN"] = "0",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Orleans"] = "Error",
    };

    private static string Pool(string collector, string schedd) =>
        $"{{\"collector\": \"{collector}\", \"schedd\": \"{schedd}\"}}";

    /// <summary>Starts a host on in-memory storage; <paramref name="configure"/> may change or add settings (null removes one).</summary>
    public static Task<WmsServer> StartAsync(Action<Dictionary<string, string?>>? configure = null) =>
        StartAsync(StorageMode.Memory, configure);

    /// <summary>
    /// Starts a host on the given storage; on PostgreSQL it gets a fresh database of its own, and so is a cluster of
    /// its own. <paramref name="configure"/> may change or add settings (null removes one); <paramref name="customize"/>
    /// may add services of its own (WmsHost's hook).
    /// </summary>
    public static async Task<WmsServer> StartAsync(
        StorageMode mode, Action<Dictionary<string, string?>>? configure = null,
        Action<WebApplicationBuilder>? customize = null)
    {
        var settings = DefaultSettings();
        if (mode == StorageMode.Postgres)
        {
            var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("wms_api");
            settings["WMS_STORAGE"] = "postgres";
            settings["WMS_POSTGRES"] = database;
            // As in memory mode, where no authentication configured means none; durable storage insists on saying so.
            settings["WMS_AUTH_DISABLED"] = "true";
            // The loops' reminders (their safety net) are stored in the database here: a short period exercises them.
            settings["WMS_LOOP_REMINDER_PERIOD"] = "2";
            // Quieter: Npgsql, and Orleans' placement retries (logged through Polly) while a lone silo shuts down.
            settings["Logging:LogLevel:Npgsql"] = "Error";
            settings["Logging:LogLevel:Polly"] = "Critical";
        }
        configure?.Invoke(settings);
        var restPort = FreePorts.Next();
        settings["REST_HOST"] = "127.0.0.1";
        settings["REST_PORT"] = restPort.ToString(CultureInfo.InvariantCulture);
        settings["WMS_SILO_PORT"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        settings["WMS_GATEWAY_PORT"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        var app = await BuildAsync(settings, customize);
        await app.StartAsync();
        return new WmsServer(app, new Uri($"http://127.0.0.1:{restPort}/"));
    }

    /// <summary>The service's host built on these settings and not started, for tests that read its configuration.</summary>
    public static Task<WebApplication> BuildAsync(
        Dictionary<string, string?> settings, Action<WebApplicationBuilder>? customize = null) =>
        WmsHost.BuildAsync([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            customize?.Invoke(builder);
        });

    /// <summary>Stops the host, drain included; returns once it has stopped. A repeat waits for the same stop.</summary>
    public Task StopAsync() => _stopping ??= _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await StopAsync();
        await _app.DisposeAsync();
    }
}
