using Microsoft.Extensions.Configuration.Memory;

namespace Wms.Silo.Configuration;

/// <summary>
/// The original service's setting names (the README's Configuration table) and the configuration keys they fill.
/// Their values are mapped into the sections once, by a source added after every other, so a name wins over its
/// section key; the sections are then bound to options and validated like any others.
/// </summary>
public static class UpstreamSettings
{
    private const string Seconds = "a number of seconds ≥ 0";
    private const string Port = "a port number";

    /// <summary>Every upstream setting; of two for one key the later wins (WMS_POSTGRES).</summary>
    public static IReadOnlyList<UpstreamSetting> All { get; } =
    [
        new("REST_HOST", "Rest:Host", SettingFormat.Text),
        new("REST_PORT", "Rest:Port", SettingFormat.WholeNumber, Port),
        new("WMS_MAX_REQUEST_BYTES", "Rest:MaxRequestBytes", SettingFormat.Bytes, "a whole number of bytes ≥ 1024"),

        new("WMS_SILO_ADDRESS", "Silo:Address", SettingFormat.Text, "an IP address"),
        new("WMS_SILO_PORT", "Silo:Port", SettingFormat.WholeNumber, Port),
        new("WMS_GATEWAY_PORT", "Silo:GatewayPort", SettingFormat.WholeNumber, Port),

        new("WMS_STORAGE", "Storage:Kind", SettingFormat.Word, "'memory' or 'postgres'"),
        new("ConnectionStrings:Wms", "Storage:ConnectionString", SettingFormat.Text),
        new("WMS_POSTGRES", "Storage:ConnectionString", SettingFormat.NonEmptyText),
        new("WMS_POSTGRES_POOL_SIZE", "Storage:PoolSize", SettingFormat.WholeNumber, "a whole number ≥ 1"),
        new("WMS_STARTUP_TIMEOUT", "Storage:StartupTimeout", SettingFormat.Seconds, Seconds),

        new("MQS_ADDRESS", "Mqs:Address", SettingFormat.Text),
        new("MQS_TOKEN_URL", "Mqs:TokenUrl", SettingFormat.Text),
        new("MQS_CLIENT_ID", "Mqs:ClientId", SettingFormat.Text),
        new("MQS_CLIENT_SECRET", "Mqs:ClientSecret", SettingFormat.Text),
        new("MQS_REQUEST_TIMEOUT", "Mqs:RequestTimeout", SettingFormat.Seconds, Seconds),
        new("MQS_API_VERSION", "Mqs:ApiVersion", SettingFormat.Word, "'v1' or 'v0'"),
        new("WMS_EMBEDDED_MQS_BROKER_TYPE", "Mqs:EmbeddedBrokerType", SettingFormat.Text),
        new("WMS_EMBEDDED_MQS_BROKER_ADDRESS", "Mqs:EmbeddedBrokerAddress", SettingFormat.Text),

        new("WORKFLOW_MQ_ACTIVATOR_DELAY", "Wms:MqActivatorDelay", SettingFormat.Seconds, Seconds),
        new("WORKFLOW_MQ_ACTIVATOR_MQS_RETRY_WAIT", "Wms:MqActivatorRetryWait", SettingFormat.Seconds, Seconds),
        new("TASKFORCE_LAUNCH_CONTROL_DELAY", "Wms:LaunchControlDelay", SettingFormat.Seconds, Seconds),
        new("TMS_ACTION_RETRIES", "Wms:TmsActionRetries", SettingFormat.WholeNumber, "a whole number ≥ 0"),
        new("WMS_LOOP_REMINDER_PERIOD", "Wms:LoopReminderPeriod", SettingFormat.Seconds, Seconds),

        new("CVMFS_PILOT_SINGULARITY_IMAGES_DIR", "Api:PilotImagesDirectory", SettingFormat.Text),
        new("WMS_PILOT_TAGS", "Api:PilotTags", SettingFormat.CommaList),
        new("WMS_CLUSTER_LOCATIONS", "Api:ClusterLocations", SettingFormat.ClusterLocations,
            "a JSON object: location → {\"collector\", \"schedd\"}"),
        new("USER_QUERY_MAX_BYTES", "Api:UserQueryMaxBytes", SettingFormat.Bytes, "a whole number of bytes ≥ 1"),

        new("AUTH_OPENID_URL", "Auth:OpenIdUrl", SettingFormat.Text),
        new("AUTH_AUDIENCE", "Auth:Audience", SettingFormat.Text),
        new("AUTH_ISSUER", "Auth:Issuer", SettingFormat.Text),
        new("AUTH_SIGNING_KEY", "Auth:SigningKey", SettingFormat.Text),
        new("AUTH_JWKS_FILE", "Auth:JwksFile", SettingFormat.Text),
        new("WMS_AUTH_DISABLED", "Auth:Disabled", SettingFormat.Flag),

        new("WMS_STATUS_HISTORY", "StatusHistory:Enabled", SettingFormat.Flag),
        new("WMS_STATUS_HISTORY_RECENT_AGE", "StatusHistory:RecentAge", SettingFormat.Seconds, Seconds),
        new("WMS_STATUS_HISTORY_RECENT_ENTRIES", "StatusHistory:RecentEntries", SettingFormat.WholeNumber,
            "a whole number ≥ 0, less than WMS_STATUS_HISTORY_MAX_ENTRIES"),
        new("WMS_STATUS_HISTORY_INTERVAL", "StatusHistory:Interval", SettingFormat.Seconds, "a number of seconds > 0"),
        new("WMS_STATUS_HISTORY_MAX_ENTRIES", "StatusHistory:MaxEntries", SettingFormat.WholeNumber,
            "a whole number ≥ 2"),

        new("WMS_EXPLAIN_TMS_SILENT_AFTER", "Explain:TmsSilentAfter", SettingFormat.Seconds, "a number of seconds > 0"),
        new("WMS_EXPLAIN_POLL_FLUSH_INTERVAL", "Explain:PollFlushInterval", SettingFormat.Seconds,
            "a number of seconds > 0, less than WMS_EXPLAIN_TMS_SILENT_AFTER"),
        new("WMS_WATCH_BUFFER", "Watch:BufferedEvents", SettingFormat.WholeNumber, "a whole number ≥ 1"),
        new("WMS_WATCH_GRACE", "Watch:Grace", SettingFormat.Seconds, Seconds),
        new("WMS_WATCH_REFRESH", "Watch:RefreshPeriod", SettingFormat.Seconds, "a number of seconds > 0"),
        new("WMS_WATCH_KEEPALIVE", "Watch:KeepAlive", SettingFormat.Seconds, "a number of seconds > 0"),
        new("WMS_WATCH_CLIENT_QUEUE", "Watch:ClientQueue", SettingFormat.WholeNumber, "a whole number ≥ 1"),

        new("WMS_LOG_FORMAT", "Operations:LogFormat", SettingFormat.Word, "'text' or 'json'"),
        new("WMS_METRICS", "Operations:Metrics", SettingFormat.Flag),
        new("WMS_DASHBOARD", "Operations:Dashboard", SettingFormat.Flag),
        new("WMS_API_DOCS", "Operations:ApiDocs", SettingFormat.Flag),
        new("WMS_UI", "Operations:Ui", SettingFormat.Flag),
        new("WMS_SHUTDOWN_DRAIN", "Operations:ShutdownDrain", SettingFormat.Seconds, Seconds),
        new("WMS_SHUTDOWN_TIMEOUT", "Operations:ShutdownTimeout", SettingFormat.Seconds,
            "a number of seconds greater than WMS_SHUTDOWN_DRAIN"),
    ];

    /// <summary>The setting that fills <paramref name="key"/> (the last, when two do).</summary>
    public static UpstreamSetting For(string key) =>
        All.Last(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Reads the upstream settings from <paramref name="configuration"/> as it stands and adds their keys as its last
    /// source. Call it after every other source is added.
    /// </summary>
    public static UpstreamValues AddTo(IConfigurationManager configuration)
    {
        var values = Read(configuration);
        configuration.Add(new MemoryConfigurationSource { InitialData = values.Keys });
        return values;
    }

    public static UpstreamValues Read(IConfiguration configuration)
    {
        var keys = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var refusals = new List<(string Key, string Refusal)>();
        foreach (var setting in All)
        {
            if (configuration[setting.Name] is not { } text || (text.Length == 0 && setting.Format.EmptyIsUnset))
            {
                continue;
            }
            if (setting.Format.Read(text) is not { } read)
            {
                refusals.Add((setting.Key, setting.Refusal(text)));
                continue;
            }
            foreach (var (suffix, value) in read)
            {
                keys[setting.Key + suffix] = value;
            }
        }
        return new UpstreamValues(keys, refusals);
    }
}
