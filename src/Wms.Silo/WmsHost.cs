using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;
using Wms.Api;
using Wms.Api.Auth;
using Wms.Api.Configuration;
using Wms.Api.Errors;
using Wms.Api.Security;
using Wms.Domain.Index;
using Wms.Domain.Rules;
using Wms.GrainInterfaces.State;
using Wms.Grains.Hosting;
using Wms.Grains.Mqs;
using Wms.Silo.Configuration;
using Wms.Silo.Health;
using Wms.Silo.Http1;
using Wms.Silo.Operations;
using Wms.Silo.Telemetry;
using Wms.Storage.Memory;
using Wms.Storage.Postgres;
using Wms.Storage.Postgres.History;
using Wms.Storage.Postgres.Index;
using Wms.Storage.Postgres.Polls;

namespace Wms.Silo;

/// <summary>Builds the one process that is both an Orleans silo and the /v0 web API.</summary>
public static partial class WmsHost
{
    /// <summary>Builds the host; in PostgreSQL mode the schema migrations are applied first.</summary>
    /// <exception cref="InvalidOperationException">A setting is refused; the message names it.</exception>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        LoggingDefaults.AddTo(builder.Configuration);
        customize?.Invoke(builder);
        var upstream = UpstreamSettings.AddTo(builder.Configuration);
        builder.Services.AddWmsSettings(builder.Configuration, upstream);
        // Before anything else: a bad setting, or a production start without authentication, must fail, not half-start.
        var settings = HostSettings.Read(builder.Configuration, upstream);
        if (settings.Storage.IsPostgres)
        {
            using var startupLog = LogFormat.StartupLoggers(builder.Configuration, settings.Operations);
            await DatabaseWait.UntilReachableAsync(settings.Storage, startupLog.CreateLogger("Wms.Silo"));
            await MigrateAsync(settings.Storage);
        }

        builder.Logging.UseWmsConsole(settings.Operations);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = settings.Rest.MaxRequestBytes;
            // The request line and headers are limited by the API (RequestLimits), which answers in the contract's
            // error body; the server's own limits only stop what no client sends.
            k.Limits.MaxRequestLineSize = RequestLimits.ServerRequestLineBytes;
            k.Limits.MaxRequestHeadersTotalSize = RequestLimits.ServerHeaderBytes;
            // Which server software answers is nobody's business.
            k.AddServerHeader = false;
            // What the server would refuse before the API sees a request (a malformed request line or header, an
            // unknown version, a missing Host) is answered in the contract's error body too.
            ListenForApi(k, settings.Rest.Host, settings.Rest.Port, listen => listen.UseFirstRequestCheck());
        });
        // A request goes on on the thread that received it rather than being queued to another: every handler is
        // asynchronous, so none holds that thread, and the hand-over is a sizable part of a request as short as a GET.
        // Socket completions themselves stay on the thread pool (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS unset).
        builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);

        var storage = settings.Storage;
        if (storage.IsPostgres)
        {
            builder.Services.AddSingleton(_ => IndexDataSource.Create(storage.ServiceConnectionString!));
            builder.Services.AddKeyedSingleton(nameof(IndexDataSource.CreateForFinds),
                (_, _) => IndexDataSource.CreateForFinds(storage.ServiceConnectionString!));
            builder.Services.AddSingleton<IObjectIndex>(services => new PostgresObjectIndex(
                services.GetRequiredService<NpgsqlDataSource>(),
                services.GetRequiredKeyedService<NpgsqlDataSource>(nameof(IndexDataSource.CreateForFinds))));
            builder.Services.AddSingleton<IScheddPollStore>(services =>
                new PostgresScheddPollStore(services.GetRequiredService<NpgsqlDataSource>()));
        }
        else
        {
            builder.Services.AddSingleton<IObjectIndex, MemoryObjectIndex>();
            builder.Services.AddSingleton<IScheddPollStore, MemoryScheddPollStore>();
        }
        AddStatusHistory(builder.Services, storage);
        builder.Services.AddWmsApi();
        builder.Services.AddWmsAuthentication(settings.Auth, settings.AuthState);
        builder.Services.AddWmsHealth(settings);
        builder.AddWmsTelemetry(settings.Operations);

        builder.UseOrleans(silo =>
        {
            silo.AddWmsGrains();
            var endpoint = settings.Silo;
            if (storage.IsPostgres)
            {
                // Every silo of the service meets the others through the database.
                silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("wms", "wms"));
                silo.ConfigureEndpoints(IPAddress.Parse(endpoint.Address), endpoint.Port, endpoint.GatewayPort,
                    listenOnAnyHostAddress: false);
                silo.UsePostgresOrleans(storage.ServiceConnectionString!, StorageNames.GrainStorage);
                // How fast a dead silo is noticed is an operator's choice (and a test's): Orleans:ClusterMembership.
                silo.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("Orleans:ClusterMembership"));
            }
            else
            {
                silo.UseLocalhostClustering(endpoint.Port, endpoint.GatewayPort, serviceId: "wms", clusterId: "wms");
                silo.AddMemoryGrainStorage(StorageNames.GrainStorage);
                silo.UseInMemoryReminderService();
            }
            // Grain state in Orleans' binary format rather than the providers' default JSON: the [Id]-tagged state
            // records stay version tolerant, a write costs far less CPU, and stored rows are in this format.
            silo.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
            silo.Configure<GrainCollectionOptions>(GrainLifetimes.Apply);
            silo.Configure<GrainDirectoryOptions>(GrainLifetimes.Apply);
            silo.AddStartupTask<LoopStart>();
            silo.AddOperatorPages(settings.Operations);
        });
        // After the silo's own hosted service, so that it starts once the silo has joined.
        builder.Services.AddHostedService<ClusterMembershipLog>();
        // A grain call that could not reach a dead silo is sent once more after the silo is declared dead.
        builder.Services.AddSingleton<IMembershipChanges, MembershipChanges>();

        var app = builder.Build();
        app.UseWmsSecurityHeaders();
        app.UseWmsRequestLimits();
        app.UseWmsErrors();
        app.UseRouting();
        app.UseWmsAuthorization();
        app.UseWmsSafeRetry();
        app.MapWmsApi();
        app.MapOperatorPages(settings.Operations);
        app.MapWmsHealth();
        app.MapWmsMetrics(settings.Operations);
        RoleRequirements.EnsureEveryEndpointHasRoles(app);
        LogStartup(app, settings);
        return app;
    }

    /// <summary>
    /// The status history where the index is (memory, or its own table on the index's pool for fixed statements),
    /// or none when it is turned off; its retention comes from the validated settings.
    /// </summary>
    private static void AddStatusHistory(IServiceCollection services, StorageOptions storage)
    {
        services.AddSingleton(s => s.GetRequiredService<IOptions<StatusHistoryOptions>>().Value.Retention());
        services.AddSingleton<IStatusHistory>(s =>
        {
            if (!s.GetRequiredService<IOptions<StatusHistoryOptions>>().Value.Enabled)
            {
                return NoStatusHistory.Instance;
            }
            var retention = s.GetRequiredService<StatusHistoryRetention>();
            var time = s.GetRequiredService<TimeProvider>();
            return storage.IsPostgres
                ? new PostgresStatusHistory(s.GetRequiredService<NpgsqlDataSource>(), retention, time,
                    s.GetRequiredService<ILogger<PostgresStatusHistory>>())
                : new MemoryStatusHistory(retention, time);
        });
    }

    /// <summary>Applies the database migrations; harmless when applied already or by another silo at once.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(StorageOptions storage)
    {
        if (string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            throw new InvalidOperationException(
                "WMS_STORAGE=postgres needs a connection string in WMS_POSTGRES (or ConnectionStrings:Wms)");
        }
        return await new SchemaMigrator().MigrateAsync(storage.ConnectionString);
    }

    /// <summary>A URL as logged: any user:password in it is left out.</summary>
    private static string WithoutUserInfo(string address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? new UriBuilder(uri) { UserName = "", Password = "" }.Uri.ToString()
            : address;

    /// <summary>
    /// The API's plain HTTP listener, bound as a URL <c>http://host:port</c> would bind it: an IP address as it is,
    /// <c>localhost</c> on both loopbacks, any other name on every address.
    /// </summary>
    private static void ListenForApi(KestrelServerOptions kestrel, string host, int port, Action<ListenOptions> configure)
    {
        var bare = host.Trim('[', ']');
        if (IPAddress.TryParse(bare, out var address))
        {
            kestrel.Listen(address, port, configure);
        }
        else if (string.Equals(bare, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(port, configure);
        }
        else
        {
            kestrel.ListenAnyIP(port, configure);
        }
    }

    private static string FormatHost(string host) => host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host;

    private static void LogStartup(WebApplication app, HostSettings settings)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Wms.Silo");
        var mqs = app.Services.GetRequiredService<IOptions<MqsOptions>>().Value;
        var api = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        var host = FormatHost(settings.Rest.Host);
        LogListening(log, host, settings.Rest.Port, settings.Storage.Kind);
        if (mqs.IsEmbedded)
        {
            LogEmbeddedMqs(log, mqs.EmbeddedBrokerType, mqs.EmbeddedBrokerAddress);
        }
        else if (log.IsEnabled(LogLevel.Information))
        {
            // The token endpoint itself is logged once it is known: finding it may need the issuer, which may be down now.
            var address = WithoutUserInfo(mqs.Address!);
            var credentials = string.IsNullOrWhiteSpace(mqs.TokenUrl)
                ? " without credentials"
                : $" with client credentials from {WithoutUserInfo(mqs.TokenUrl.Trim())} (an issuer, or a token endpoint)";
            LogMqs(log, address, credentials);
        }
        if (settings.AuthState.Enabled)
        {
            LogAuthenticationOn(log, settings.Auth.ChecksAudience ? settings.Auth.Audience : "(any)",
                string.IsNullOrWhiteSpace(settings.Auth.OpenIdUrl) ? "static configuration" : settings.Auth.OpenIdUrl);
            if (!settings.Auth.ChecksAudience)
            {
                LogAnyAudience(log);
            }
        }
        else
        {
            LogAuthenticationOff(log, settings.AuthState.OffReason, settings.Rest.Port);
        }
        if (log.IsEnabled(LogLevel.Information))
        {
            var locations = string.Join(", ", api.ClusterLocations.Keys);
            var tags = api.PilotImagesDirectory ?? string.Join(", ", api.PilotTags);
            LogLocations(log, locations, tags);
            var served = OperationsLine(settings.Operations);
            LogOperations(log, served);
        }
    }

    /// <summary>What an operator may point a probe, a scraper or a browser at.</summary>
    private static string OperationsLine(OperationsOptions operations)
    {
        var served = new List<string> { "/healthz", "/readyz" };
        if (operations.Metrics)
        {
            served.Add("/metrics");
        }
        if (operations.ApiDocs)
        {
            served.Add("/docs");
        }
        if (operations.Dashboard)
        {
            served.Add("/dashboard");
        }
        if (operations.Ui)
        {
            served.Add("/ui");
        }
        return $"{string.Join(", ", served)}; logs as {operations.LogFormat}";
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "WMS listening on http://{Host}:{Port} (/v0, /v1) with {Storage} storage")]
    private static partial void LogListening(ILogger logger, string host, int port, string storage);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "MQS_ADDRESS is not set: using the EMBEDDED MQS, which grants queues at once (broker {Type} at {Address})")]
    private static partial void LogEmbeddedMqs(ILogger logger, string type, string address);

    [LoggerMessage(Level = LogLevel.Information, Message = "Using the MQS at {Address}{Credentials}")]
    private static partial void LogMqs(ILogger logger, string address, string credentials);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Authentication is on: bearer tokens for audience {Audience}, keys from {Keys}")]
    private static partial void LogAuthenticationOn(ILogger logger, string? audience, string keys);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "AUTH_AUDIENCE is not set: tokens for any audience are accepted, as by the original service")]
    private static partial void LogAnyAudience(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Reason}: AUTHENTICATION IS OFF; anyone who can reach port {Port} can act as any user or the TMS")]
    private static partial void LogAuthenticationOff(ILogger logger, string? reason, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster locations: {Locations}; pilot tags: {Tags}")]
    private static partial void LogLocations(ILogger logger, string locations, string tags);

    [LoggerMessage(Level = LogLevel.Information, Message = "Operations: {Served}")]
    private static partial void LogOperations(ILogger logger, string served);
}
