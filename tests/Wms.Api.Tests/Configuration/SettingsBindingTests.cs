using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wms.Api.Auth;
using Wms.Api.Configuration;
using Wms.Api.Tests.Infrastructure;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Configuration;
using Wms.GrainInterfaces.Mqs;
using Wms.GrainInterfaces.Watch;
using Wms.Grains.Mqs;
using Wms.Silo.Configuration;

namespace Wms.Api.Tests.Configuration;

/// <summary>
/// Every setting reaches its options under its upstream name, in the formats the README gives; its section key works
/// too, and the upstream name wins over it.
/// </summary>
public sealed class SettingsBindingTests
{
    private static readonly Dictionary<string, Type> OptionsBySection = new()
    {
        [SettingsSections.Rest] = typeof(RestOptions),
        [SettingsSections.Silo] = typeof(SiloEndpointOptions),
        [SettingsSections.Storage] = typeof(StorageOptions),
        [SettingsSections.Wms] = typeof(WmsOptions),
        [SettingsSections.Mqs] = typeof(MqsOptions),
        [SettingsSections.Api] = typeof(ApiOptions),
        [SettingsSections.Auth] = typeof(WmsAuthOptions),
        [SettingsSections.Operations] = typeof(OperationsOptions),
        [SettingsSections.StatusHistory] = typeof(StatusHistoryOptions),
        [SettingsSections.Explain] = typeof(ExplainOptions),
        [SettingsSections.Watch] = typeof(WatchOptions),
    };

    [Fact]
    public void NothingConfiguredGivesTheReadmesDefaults()
    {
        using var services = ConfiguredSettings.Services();
        T Value<T>() where T : class => services.GetRequiredService<IOptions<T>>().Value;

        var rest = Value<RestOptions>();
        Assert.Equal(("127.0.0.1", 8080, 16L * 1024 * 1024), (rest.Host, rest.Port, rest.MaxRequestBytes));
        var silo = Value<SiloEndpointOptions>();
        Assert.Equal(("127.0.0.1", 11111, 30000), (silo.Address, silo.Port, silo.GatewayPort));
        var storage = Value<StorageOptions>();
        Assert.Equal(("memory", 25, null), (storage.Kind, storage.PoolSize, storage.ConnectionString));
        var wms = Value<WmsOptions>();
        Assert.Equal(
            (TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(60)),
            (wms.MqActivatorDelay, wms.MqActivatorRetryWait, wms.LaunchControlDelay, wms.TmsActionRetries,
                wms.LoopReminderPeriod));
        var mqs = Value<MqsOptions>();
        Assert.True(mqs.IsEmbedded);
        Assert.Equal((TimeSpan.FromSeconds(10), "rabbitmq", "localhost"),
            (mqs.RequestTimeout, mqs.EmbeddedBrokerType, mqs.EmbeddedBrokerAddress));
        var api = Value<ApiOptions>();
        var pool = Assert.Single(api.ClusterLocations);
        Assert.Equal(("sub-2", "glidein-cm.icecube.wisc.edu", "sub-2.icecube.wisc.edu"),
            (pool.Key, pool.Value.Collector, pool.Value.Schedd));
        Assert.Equal(["1.0.0"], api.PilotTags);
        var auth = Value<WmsAuthOptions>();
        Assert.False(auth.Disabled);
        Assert.Null(auth.OpenIdUrl);
    }

    [Fact]
    public void StatusHistoryIsOnByDefaultAndItsRetentionIsSet()
    {
        var defaults = ConfiguredSettings.Options<StatusHistoryOptions>();
        Assert.Equal((true, TimeSpan.FromHours(1), 100, TimeSpan.FromMinutes(10), 500),
            (defaults.Enabled, defaults.RecentAge, defaults.RecentEntries, defaults.Interval, defaults.MaxEntries));

        var set = ConfiguredSettings.Options<StatusHistoryOptions>(
            ("WMS_STATUS_HISTORY", "false"), ("WMS_STATUS_HISTORY_RECENT_AGE", "90"),
            ("WMS_STATUS_HISTORY_RECENT_ENTRIES", "7"), ("WMS_STATUS_HISTORY_INTERVAL", "30"),
            ("WMS_STATUS_HISTORY_MAX_ENTRIES", "20"));
        Assert.Equal((false, TimeSpan.FromSeconds(90), 7, TimeSpan.FromSeconds(30), 20),
            (set.Enabled, set.RecentAge, set.RecentEntries, set.Interval, set.MaxEntries));
    }

    [Fact]
    public void ExplanationsCallATmsDownAfterFiveSilentMinutesUnlessSetOtherwise()
    {
        var defaults = ConfiguredSettings.Options<ExplainOptions>();
        Assert.Equal((TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(5)), (defaults.TmsSilentAfter, defaults.PollFlushInterval));

        var set = ConfiguredSettings.Options<ExplainOptions>(
            ("WMS_EXPLAIN_TMS_SILENT_AFTER", "2.5"), ("WMS_EXPLAIN_POLL_FLUSH_INTERVAL", "0.5"));
        Assert.Equal((TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(0.5)), (set.TmsSilentAfter, set.PollFlushInterval));
    }

    [Fact]
    public void LiveWatchHasTheReadmesDefaultsAndItsSettingsAreBound()
    {
        var defaults = ConfiguredSettings.Options<WatchOptions>();
        Assert.Equal((512, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(15), 256),
            (defaults.BufferedEvents, defaults.Grace, defaults.RefreshPeriod, defaults.KeepAlive, defaults.ClientQueue));

        var set = ConfiguredSettings.Options<WatchOptions>(
            ("WMS_WATCH_BUFFER", "64"), ("WMS_WATCH_GRACE", "0"), ("WMS_WATCH_REFRESH", "2.5"),
            ("WMS_WATCH_KEEPALIVE", "0.5"), ("WMS_WATCH_CLIENT_QUEUE", "8"));
        Assert.Equal((64, TimeSpan.Zero, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(0.5), 8),
            (set.BufferedEvents, set.Grace, set.RefreshPeriod, set.KeepAlive, set.ClientQueue));
        Assert.Equal(TimeSpan.FromSeconds(2.5), set.Lease);
    }

    [Fact]
    public void DurationsAreSecondsWithFractions()
    {
        var wms = ConfiguredSettings.Options<WmsOptions>(
            ("WORKFLOW_MQ_ACTIVATOR_DELAY", "0.25"), ("WORKFLOW_MQ_ACTIVATOR_MQS_RETRY_WAIT", "1.5"),
            ("TASKFORCE_LAUNCH_CONTROL_DELAY", "0"), ("WMS_LOOP_REMINDER_PERIOD", " 5 "), ("TMS_ACTION_RETRIES", "7"));
        Assert.Equal(TimeSpan.FromMilliseconds(250), wms.MqActivatorDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), wms.MqActivatorRetryWait);
        Assert.Equal(TimeSpan.Zero, wms.LaunchControlDelay);
        Assert.Equal(TimeSpan.FromSeconds(5), wms.LoopReminderPeriod);
        Assert.Equal(7, wms.TmsActionRetries);

        Assert.Equal(TimeSpan.FromSeconds(2.5),
            ConfiguredSettings.Options<MqsOptions>(("MQS_REQUEST_TIMEOUT", "2.5")).RequestTimeout);
    }

    [Fact]
    public void ClusterLocationsAreAJsonObjectAndReplaceTheDefault()
    {
        // Field names in any case.
        const string json = """
            {"test-alpha": {"Collector": "C1", "schedd": "S1"},
             "test-beta": {"collector": "C2", "SCHEDD": "S2"}}
            """;
        var locations = ConfiguredSettings.Options<ApiOptions>(("WMS_CLUSTER_LOCATIONS", json)).ClusterLocations;
        Assert.Equal(["test-alpha", "test-beta"], locations.Keys.Order());
        Assert.Equal(("C1", "S1"), (locations["test-alpha"].Collector, locations["test-alpha"].Schedd));
        Assert.Equal(("C2", "S2"), (locations["test-beta"].Collector, locations["test-beta"].Schedd));
    }

    [Fact]
    public void ALocationsAliasesNameItToo()
    {
        const string json = """
            {"osg": {"collector": "C", "schedd": "grid-submitter.icecube.wisc.edu", "aliases": ["sub-2", "OSG"]},
             "test-alpha": {"collector": "C1", "schedd": "S1"}}
            """;
        var options = ConfiguredSettings.Options<ApiOptions>(("WMS_CLUSTER_LOCATIONS", json));
        Assert.Equal(["sub-2", "OSG"], options.ClusterLocations["osg"].Aliases);
        Assert.Empty(options.ClusterLocations["test-alpha"].Aliases);
        var catalog = new ClusterLocationCatalog(Microsoft.Extensions.Options.Options.Create(options));
        // The name given is kept; the pool is the one it names.
        Assert.Equal(new ClusterLocation("sub-2", "C", "grid-submitter.icecube.wisc.edu"), catalog.Find("sub-2"));
        Assert.Equal(new ClusterLocation("OSG", "C", "grid-submitter.icecube.wisc.edu"), catalog.Find("OSG"));
        Assert.Equal(new ClusterLocation("osg", "C", "grid-submitter.icecube.wisc.edu"), catalog.Find("osg"));
        Assert.Null(catalog.Find("Osg"));
        Assert.Null(catalog.Find("sub-3"));
    }

    [Fact]
    public void PilotTagsAreACommaListAndTheDefaultOnlyStandsInForNothing()
    {
        Assert.Equal(["0.9.1", "1.2.3", "dev-abc123"],
            ConfiguredSettings.Options<ApiOptions>(("WMS_PILOT_TAGS", "0.9.1, 1.2.3,,dev-abc123")).PilotTags);

        var withDirectory =
            ConfiguredSettings.Options<ApiOptions>(("CVMFS_PILOT_SINGULARITY_IMAGES_DIR", "/cvmfs/pilots"));
        Assert.Equal("/cvmfs/pilots", withDirectory.PilotImagesDirectory);
        Assert.Empty(withDirectory.PilotTags);
    }

    [Fact]
    public void ListeningStorageAndSiloSettingsArrive()
    {
        var rest = ConfiguredSettings.Options<RestOptions>(
            ("REST_HOST", "0.0.0.0"), ("REST_PORT", "9090"), ("WMS_MAX_REQUEST_BYTES", "2048"));
        Assert.Equal(("0.0.0.0", 9090, 2048L), (rest.Host, rest.Port, rest.MaxRequestBytes));

        var silo = ConfiguredSettings.Options<SiloEndpointOptions>(
            ("WMS_SILO_ADDRESS", "10.0.0.7"), ("WMS_SILO_PORT", "11112"), ("WMS_GATEWAY_PORT", "30001"));
        Assert.Equal(("10.0.0.7", 11112, 30001), (silo.Address, silo.Port, silo.GatewayPort));

        var storage = ConfiguredSettings.Options<StorageOptions>(
            ("WMS_STORAGE", " Postgres "), ("WMS_POSTGRES", "Host=db"), ("WMS_POSTGRES_POOL_SIZE", "9"));
        Assert.Equal(("postgres", "Host=db", 9), (storage.Kind, storage.ConnectionString, storage.PoolSize));
    }

    [Fact]
    public void WmsPostgresWinsOverTheConnectionStringsSectionUnlessEmpty()
    {
        Assert.Equal("Host=a", ConfiguredSettings.Options<StorageOptions>(
            ("ConnectionStrings:Wms", "Host=b"), ("WMS_POSTGRES", "Host=a")).ConnectionString);
        Assert.Equal("Host=b", ConfiguredSettings.Options<StorageOptions>(
            ("ConnectionStrings:Wms", "Host=b"), ("WMS_POSTGRES", "")).ConnectionString);
    }

    [Fact]
    public void MqsAndAuthenticationSettingsArrive()
    {
        var mqs = ConfiguredSettings.Options<MqsOptions>(("MQS_ADDRESS", "https://mqs.example/"),
            ("MQS_TOKEN_URL", "https://idp.example/token"), ("MQS_CLIENT_ID", "wms"), ("MQS_CLIENT_SECRET", "s3cret"),
            ("WMS_EMBEDDED_MQS_BROKER_TYPE", "pulsar"), ("WMS_EMBEDDED_MQS_BROKER_ADDRESS", "broker.example"));
        Assert.False(mqs.IsEmbedded);
        Assert.Equal(("https://mqs.example/", "https://idp.example/token", "wms", "s3cret"),
            (mqs.Address, mqs.TokenUrl, mqs.ClientId, mqs.ClientSecret));
        Assert.Equal(("pulsar", "broker.example"), (mqs.EmbeddedBrokerType, mqs.EmbeddedBrokerAddress));

        var discovery = ConfiguredSettings.Options<WmsAuthOptions>(("AUTH_OPENID_URL", "https://idp.example/realm"),
            ("AUTH_AUDIENCE", "ewms"), ("AUTH_ISSUER", "https://idp.example/realm"));
        Assert.Equal(("https://idp.example/realm", "ewms", "https://idp.example/realm"),
            (discovery.OpenIdUrl, discovery.Audience, discovery.Issuer));
        var key = Convert.ToBase64String(new byte[32]);
        var offline = ConfiguredSettings.Options<WmsAuthOptions>(
            ("AUTH_SIGNING_KEY", key), ("AUTH_ISSUER", "i"), ("AUTH_AUDIENCE", "a"), ("WMS_AUTH_DISABLED", "yes"));
        Assert.Equal((key, false), (offline.SigningKey, offline.Disabled));
        Assert.True(ConfiguredSettings.Options<WmsAuthOptions>(("WMS_AUTH_DISABLED", " TRUE ")).Disabled);
        // A key file is read when validated, so this one is only mapped.
        var mapped = UpstreamSettings.Read(new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create("AUTH_JWKS_FILE", (string?)"/etc/wms/jwks.json")]).Build());
        Assert.Equal("/etc/wms/jwks.json", mapped.Keys["Auth:JwksFile"]);
    }

    [Fact]
    public void ASectionKeyWorksAndTheUpstreamNameWinsOverIt()
    {
        Assert.Equal(4, ConfiguredSettings.Options<WmsOptions>(("Wms:TmsActionRetries", "4")).TmsActionRetries);
        Assert.Equal(TimeSpan.FromSeconds(3),
            ConfiguredSettings.Options<WmsOptions>(("Wms:MqActivatorDelay", "00:00:03")).MqActivatorDelay);
        Assert.Equal(3, ConfiguredSettings.Options<WmsOptions>(
            ("Wms:TmsActionRetries", "4"), ("TMS_ACTION_RETRIES", "3")).TmsActionRetries);
        Assert.Equal(8081, ConfiguredSettings.Options<RestOptions>(("Rest:Port", "8082"), ("REST_PORT", "8081")).Port);
    }

    [Fact]
    public async Task TheHostsContainerHoldsTheBoundOptionsAndTheMqsTheyChoose()
    {
        await using (var app = await WmsServer.BuildAsync(WmsServer.DefaultSettings()))
        {
            Assert.Equal(TimeSpan.FromMilliseconds(200),
                app.Services.GetRequiredService<IOptions<WmsOptions>>().Value.MqActivatorDelay);
            Assert.Equal(["test-alpha", "test-beta"],
                app.Services.GetRequiredService<IOptions<ApiOptions>>().Value.ClusterLocations.Keys.Order());
            Assert.IsType<EmbeddedMqsClient>(app.Services.GetRequiredService<IMqsClient>());
        }

        var settings = WmsServer.DefaultSettings();
        settings["MQS_ADDRESS"] = "http://127.0.0.1:1/";
        await using (var app = await WmsServer.BuildAsync(settings))
        {
            Assert.IsType<HttpMqsClient>(app.Services.GetRequiredService<IMqsClient>());
        }
    }

    [Fact]
    public void EveryUpstreamKeyNamesAPropertyOfItsOptions()
    {
        Assert.All(UpstreamSettings.All, setting =>
        {
            var parts = setting.Key.Split(':');
            Assert.Equal(2, parts.Length);
            Assert.True(OptionsBySection.TryGetValue(parts[0], out var type), $"{setting.Name}: no section {parts[0]}");
            Assert.NotNull(type.GetProperty(parts[1], BindingFlags.Public | BindingFlags.Instance));
        });
    }

    [Fact]
    public async Task TheReadmeTableListsEveryUpstreamNameWithItsKey()
    {
        var readme = await File.ReadAllTextAsync(RepositoryFiles.PathOf("README.md"));
        var section = readme[readme.IndexOf("## Configuration", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", StringComparison.Ordinal)];
        var documented = section.Split('\n')
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .Select(line => line.Split('|'))
            .SelectMany(cells => Names(cells[1]).Zip(Names(cells[2]), (name, key) => $"{name} → {key}"))
            .Order()
            .ToList();
        // ConnectionStrings:Wms is .NET's own name, given in the row of WMS_POSTGRES.
        var mapped = UpstreamSettings.All.Where(s => !s.Name.Contains(':')).Select(s => $"{s.Name} → {s.Key}")
            .Order()
            .ToList();
        Assert.Equal(mapped, documented);
    }

    private static IEnumerable<string> Names(string cell) =>
        cell.Split(',', StringSplitOptions.TrimEntries).Select(name => name.Trim('`'));
}
