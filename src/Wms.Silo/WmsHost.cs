using System.Net;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;
using Wms.Api;
using Wms.Api.Auth;
using Wms.Api.Configuration;
using Wms.Api.Security;
using Wms.Api.Errors;
using Wms.GrainInterfaces.Configuration;
using Wms.GrainInterfaces.Mqs;
using Wms.GrainInterfaces.State;
using Wms.Domain.Index;
using Wms.Grains.Mqs;
using Wms.Storage.Memory;
using Wms.Storage.Postgres;
using Wms.Storage.Postgres.Index;

namespace Wms.Silo;

/// <summary>Builds the one process that is both an Orleans silo and the /v0 web API.</summary>
public static class WmsHost
{
    /// <summary>Builds the host; in PostgreSQL mode the schema migrations are applied first.</summary>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        LoggingDefaults.AddTo(builder.Configuration);
        customize?.Invoke(builder);
        var settings = HostSettings.Read(builder.Configuration);
        // Before anything else: a production start without authentication must fail, not half-start.
        var auth = settings.ResolveAuth();
        if (settings.IsPostgres)
        {
            await MigrateAsync(settings);
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = settings.MaxRequestBytes;
            // Which server software answers is nobody's business.
            k.AddServerHeader = false;
        });
        builder.WebHost.UseUrls($"http://{FormatHost(settings.RestHost)}:{settings.RestPort}");
        // A request goes on on the thread that received it rather than being queued to another: every handler is
        // asynchronous, so none holds that thread, and the hand-over is a sizable part of a request as short as a GET.
        // Socket completions themselves stay on the thread pool (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS unset).
        builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(Options.Create(settings.Wms));
        builder.Services.AddSingleton(Options.Create(settings.Mqs));
        builder.Services.AddSingleton(Options.Create(settings.Api));
        if (settings.IsPostgres)
        {
            builder.Services.AddSingleton(_ => IndexDataSource.Create(settings.ServiceConnectionString!));
            builder.Services.AddKeyedSingleton(nameof(IndexDataSource.CreateForFinds),
                (_, _) => IndexDataSource.CreateForFinds(settings.ServiceConnectionString!));
            builder.Services.AddSingleton<IObjectIndex>(services => new PostgresObjectIndex(
                services.GetRequiredService<NpgsqlDataSource>(),
                services.GetRequiredKeyedService<NpgsqlDataSource>(nameof(IndexDataSource.CreateForFinds))));
        }
        else
        {
            builder.Services.AddSingleton<IObjectIndex, MemoryObjectIndex>();
        }
        // One token source per silo, so every grain shares the cached token.
        builder.Services.AddHttpClient(MqsTokenSource.HttpClientName);
        builder.Services.AddSingleton<MqsTokenSource>();
        if (settings.Mqs.IsEmbedded)
        {
            builder.Services.AddSingleton<IMqsClient, EmbeddedMqsClient>();
        }
        else
        {
            builder.Services.AddHttpClient<IMqsClient, HttpMqsClient>(c => c.Timeout = Timeout.InfiniteTimeSpan);
        }
        builder.Services.AddWmsApi();
        builder.Services.AddWmsAuthentication(settings.Auth, auth);

        builder.UseOrleans(silo =>
        {
            if (settings.IsPostgres)
            {
                // Every silo of the service meets the others through the database.
                silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("wms", "wms"));
                silo.ConfigureEndpoints(IPAddress.Parse(settings.SiloAddress), settings.SiloPort, settings.GatewayPort,
                    listenOnAnyHostAddress: false);
                silo.UsePostgresOrleans(settings.ServiceConnectionString!, StorageNames.GrainStorage);
                // How fast a dead silo is noticed is an operator's choice (and a test's): Orleans:ClusterMembership.
                silo.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("Orleans:ClusterMembership"));
            }
            else
            {
                silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: "wms", clusterId: "wms");
                silo.AddMemoryGrainStorage(StorageNames.GrainStorage);
                silo.UseInMemoryReminderService();
            }
            // Grain state in Orleans' binary format rather than the providers' default JSON: the [Id]-tagged state
            // records stay version tolerant, a write costs far less CPU, and stored rows are in this format.
            silo.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
            silo.Configure<GrainCollectionOptions>(GrainLifetimes.Apply);
            silo.Configure<GrainDirectoryOptions>(GrainLifetimes.Apply);
            silo.AddStartupTask<LoopStart>();
            silo.Configure<ReminderOptions>(o =>
            {
                if (settings.Wms.LoopReminderPeriod < o.MinimumReminderPeriod)
                {
                    o.MinimumReminderPeriod = settings.Wms.LoopReminderPeriod;
                }
            });
        });

        var app = builder.Build();
        app.UseWmsSecurityHeaders();
        app.UseWmsErrors();
        app.UseRouting();
        app.UseWmsAuthorization();
        app.MapWmsApi();
        RoleRequirements.EnsureEveryEndpointHasRoles(app);
        LogStartup(app, settings, auth);
        return app;
    }

    /// <summary>Applies the database migrations; harmless when they are applied already or by another silo at once.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(HostSettings settings)
    {
        if (string.IsNullOrWhiteSpace(settings.PostgresConnectionString))
        {
            throw new InvalidOperationException(
                "WMS_STORAGE=postgres needs a connection string in WMS_POSTGRES (or ConnectionStrings:Wms)");
        }
        return await new SchemaMigrator().MigrateAsync(settings.PostgresConnectionString);
    }

    /// <summary>A URL as logged: any user:password in it is left out.</summary>
    private static string WithoutUserInfo(string address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? new UriBuilder(uri) { UserName = "", Password = "" }.Uri.ToString()
            : address;

    private static string FormatHost(string host) => host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host;

    private static void LogStartup(WebApplication app, HostSettings settings, AuthState auth)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Wms.Silo");
        log.LogInformation("WMS listening on http://{Host}:{Port} with {Storage} storage",
            settings.RestHost, settings.RestPort, settings.Storage);
        if (settings.Mqs.IsEmbedded)
        {
            log.LogWarning(
                "MQS_ADDRESS is not set: using the EMBEDDED MQS, which grants queues at once (broker {Type} at {Address})",
                settings.Mqs.EmbeddedBrokerType, settings.Mqs.EmbeddedBrokerAddress);
        }
        else
        {
            log.LogInformation("Using the MQS at {Address}{Credentials}", WithoutUserInfo(settings.Mqs.Address!),
                string.IsNullOrWhiteSpace(settings.Mqs.TokenUrl) ? " without credentials" : " with client credentials");
        }
        if (auth.Enabled)
        {
            log.LogInformation("Authentication is on: bearer tokens for audience {Audience}, keys from {Keys}",
                settings.Auth.Audience,
                string.IsNullOrWhiteSpace(settings.Auth.OpenIdUrl) ? "static configuration" : settings.Auth.OpenIdUrl);
        }
        else
        {
            log.LogWarning("{Reason}: AUTHENTICATION IS OFF; anyone who can reach port {Port} can act as any user or the TMS",
                auth.OffReason, settings.RestPort);
        }
        log.LogInformation("Cluster locations: {Locations}; pilot tags: {Tags}",
            string.Join(", ", settings.Api.ClusterLocations.Keys),
            settings.Api.PilotImagesDirectory ?? string.Join(", ", settings.Api.PilotTags));
    }
}
