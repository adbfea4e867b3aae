using System.Globalization;
using System.Text.Json;
using Wms.Api.Auth;
using Wms.Api.Configuration;
using Wms.GrainInterfaces.Configuration;
using Wms.Grains.Mqs;
using Wms.Storage.Postgres;

namespace Wms.Silo;

/// <summary>
/// Reads the service's settings from standard .NET configuration, where the contract's environment variables
/// (REST_PORT, MQS_ADDRESS, ...) arrive under their own names and win over the sections Wms, Mqs and Api.
/// </summary>
public sealed class HostSettings
{
    public string RestHost { get; private init; } = "127.0.0.1";
    public int RestPort { get; private init; } = 8080;
    public int SiloPort { get; private init; } = 11111;
    public int GatewayPort { get; private init; } = 30000;
    public string Storage { get; private init; } = "memory";

    /// <summary>PostgreSQL connection string, from WMS_POSTGRES or ConnectionStrings:Wms.</summary>
    public string? PostgresConnectionString { get; private init; }

    /// <summary>Connections each of a silo's three PostgreSQL pools may open, unless the connection string says.</summary>
    public int PostgresPoolSize { get; private init; } = DefaultPostgresPoolSize;

    /// <summary>
    /// A silo opens three pools (Orleans' providers, the query index's fixed statements and its finds). At Npgsql's
    /// default of 100 each, one silo under a burst could take more connections than a default PostgreSQL allows
    /// (100) and users would see errors; a smaller pool makes a burst wait for a connection instead.
    /// </summary>
    public const int DefaultPostgresPoolSize = 25;

    /// <summary>The connection string the service's pools use: the configured one, with a pool cap unless it has one.</summary>
    public string? ServiceConnectionString => PostgresConnectionString is null
        ? null
        : WithPoolCap(PostgresConnectionString, PostgresPoolSize);

    public static string WithPoolCap(string connectionString, int poolSize)
    {
        if (ConnectionStringKeys.Sets(connectionString, "Max Pool Size", "Maximum Pool Size"))
        {
            return connectionString;
        }
        return new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = poolSize }.ConnectionString;
    }

    /// <summary>The address other silos reach this one on.</summary>
    public string SiloAddress { get; private init; } = "127.0.0.1";

    public bool IsPostgres => Storage == "postgres";

    /// <summary>The largest request body accepted (WMS_MAX_REQUEST_BYTES); larger ones answer 413.</summary>
    public long MaxRequestBytes { get; private init; } = DefaultMaxRequestBytes;

    public const long DefaultMaxRequestBytes = 16 * 1024 * 1024;

    /// <summary>Authentication settings (AUTH_*, WMS_AUTH_DISABLED); <see cref="ResolveAuth"/> decides whether it is on.</summary>
    public required WmsAuthOptions Auth { get; init; }
    public required WmsOptions Wms { get; init; }
    public required MqsOptions Mqs { get; init; }
    public required ApiOptions Api { get; init; }

    public static readonly Dictionary<string, CondorPool> DefaultClusterLocations = new()
    {
        ["sub-2"] = new CondorPool { Collector = "glidein-cm.icecube.wisc.edu", Schedd = "sub-2.icecube.wisc.edu" },
    };

    /// <summary>Used only when neither a pilot image directory nor a tag list is configured: a one-box default.</summary>
    public const string DefaultPilotTags = "1.0.0";

    public static HostSettings Read(IConfiguration config)
    {
        var wms = config.GetSection("Wms").Get<WmsOptions>() ?? new WmsOptions();
        var mqs = config.GetSection("Mqs").Get<MqsOptions>() ?? new MqsOptions();
        var api = config.GetSection("Api").Get<ApiOptions>() ?? new ApiOptions();
        var auth = config.GetSection("Auth").Get<WmsAuthOptions>() ?? new WmsAuthOptions();
        auth.OpenIdUrl = config["AUTH_OPENID_URL"] ?? auth.OpenIdUrl;
        auth.Audience = config["AUTH_AUDIENCE"] ?? auth.Audience;
        auth.Issuer = config["AUTH_ISSUER"] ?? auth.Issuer;
        auth.SigningKey = config["AUTH_SIGNING_KEY"] ?? auth.SigningKey;
        auth.JwksFile = config["AUTH_JWKS_FILE"] ?? auth.JwksFile;
        if (config["WMS_AUTH_DISABLED"] is { Length: > 0 } disabled)
        {
            auth.Disabled = string.Equals(disabled.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        }

        Seconds(config, "WORKFLOW_MQ_ACTIVATOR_DELAY", v => wms.MqActivatorDelay = v);
        Seconds(config, "WORKFLOW_MQ_ACTIVATOR_MQS_RETRY_WAIT", v => wms.MqActivatorRetryWait = v);
        Seconds(config, "TASKFORCE_LAUNCH_CONTROL_DELAY", v => wms.LaunchControlDelay = v);
        Seconds(config, "WMS_LOOP_REMINDER_PERIOD", v => wms.LoopReminderPeriod = v);
        if (config["TMS_ACTION_RETRIES"] is { Length: > 0 } retries)
        {
            wms.TmsActionRetries = int.TryParse(retries, CultureInfo.InvariantCulture, out var n) && n >= 0
                ? n
                : throw new InvalidOperationException($"TMS_ACTION_RETRIES must be a whole number ≥ 0, not '{retries}'");
        }

        mqs.Address = config["MQS_ADDRESS"] ?? mqs.Address;
        mqs.TokenUrl = config["MQS_TOKEN_URL"] ?? mqs.TokenUrl;
        mqs.ClientId = config["MQS_CLIENT_ID"] ?? mqs.ClientId;
        mqs.ClientSecret = config["MQS_CLIENT_SECRET"] ?? mqs.ClientSecret;
        mqs.EmbeddedBrokerType = config["WMS_EMBEDDED_MQS_BROKER_TYPE"] ?? mqs.EmbeddedBrokerType;
        mqs.EmbeddedBrokerAddress = config["WMS_EMBEDDED_MQS_BROKER_ADDRESS"] ?? mqs.EmbeddedBrokerAddress;
        Seconds(config, "MQS_REQUEST_TIMEOUT", v => mqs.RequestTimeout = v);

        api.PilotImagesDirectory = config["CVMFS_PILOT_SINGULARITY_IMAGES_DIR"] ?? api.PilotImagesDirectory;
        if (config["WMS_PILOT_TAGS"] is { } tags)
        {
            api.PilotTags = SplitList(tags);
        }
        else if (api.PilotTags.Count == 0 && string.IsNullOrWhiteSpace(api.PilotImagesDirectory))
        {
            api.PilotTags = SplitList(DefaultPilotTags);
        }
        if (config["WMS_CLUSTER_LOCATIONS"] is { Length: > 0 } locations)
        {
            api.ClusterLocations = ParseLocations(locations);
        }
        else if (api.ClusterLocations.Count == 0)
        {
            api.ClusterLocations = new Dictionary<string, CondorPool>(DefaultClusterLocations);
        }

        var storage = (config["WMS_STORAGE"] ?? "memory").Trim().ToLowerInvariant();
        return new HostSettings
        {
            RestHost = config["REST_HOST"] ?? "127.0.0.1",
            RestPort = Port(config, "REST_PORT", 8080),
            SiloPort = Port(config, "WMS_SILO_PORT", 11111),
            GatewayPort = Port(config, "WMS_GATEWAY_PORT", 30000),
            Storage = storage is "memory" or "postgres"
                ? storage
                : throw new InvalidOperationException($"WMS_STORAGE must be 'memory' or 'postgres', not '{storage}'"),
            PostgresConnectionString = config["WMS_POSTGRES"] is { Length: > 0 } pg ? pg : config.GetConnectionString("Wms"),
            SiloAddress = config["WMS_SILO_ADDRESS"] ?? "127.0.0.1",
            PostgresPoolSize = config["WMS_POSTGRES_POOL_SIZE"] is { Length: > 0 } pool
                ? int.TryParse(pool, CultureInfo.InvariantCulture, out var size) && size >= 1
                    ? size
                    : throw new InvalidOperationException($"WMS_POSTGRES_POOL_SIZE must be a whole number ≥ 1, not '{pool}'")
                : DefaultPostgresPoolSize,
            MaxRequestBytes = MaxBytes(config, "WMS_MAX_REQUEST_BYTES", DefaultMaxRequestBytes),
            Auth = auth,
            Wms = wms,
            Mqs = mqs,
            Api = api,
        };
    }

    /// <summary>
    /// Whether authentication is on; throws when its configuration is incomplete, or missing in PostgreSQL
    /// (production) mode. Separate from <see cref="Read"/> so that the 'migrate' command needs no auth settings.
    /// </summary>
    public AuthState ResolveAuth() => Auth.Resolve(durableStorage: IsPostgres);

    private static long MaxBytes(IConfiguration config, string key, long fallback)
    {
        if (config[key] is not { Length: > 0 } text)
        {
            return fallback;
        }
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes >= 1024
            ? bytes
            : throw new InvalidOperationException($"{key} must be a whole number of bytes ≥ 1024, not '{text}'");
    }

    private static List<string> SplitList(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static void Seconds(IConfiguration config, string key, Action<TimeSpan> set)
    {
        if (config[key] is not { Length: > 0 } text)
        {
            return;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ||
            seconds < 0 || double.IsInfinity(seconds))
        {
            throw new InvalidOperationException($"{key} must be a number of seconds ≥ 0, not '{text}'");
        }
        set(TimeSpan.FromSeconds(seconds));
    }

    private static int Port(IConfiguration config, string key, int fallback)
    {
        if (config[key] is not { Length: > 0 } text)
        {
            return fallback;
        }
        return int.TryParse(text, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535
            ? port
            : throw new InvalidOperationException($"{key} must be a port number, not '{text}'");
    }

    private static Dictionary<string, CondorPool> ParseLocations(string json)
    {
        try
        {
            var parsed = JsonSerializer.Deserialize<Dictionary<string, CondorPool>>(json,
                new JsonSerializerOptions { PropertyNameCaseInsensitive = true });
            if (parsed is null || parsed.Values.Any(p => p is null || p.Collector.Length == 0 || p.Schedd.Length == 0))
            {
                throw new InvalidOperationException("every location needs a non-empty collector and schedd");
            }
            return parsed;
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException(
                "WMS_CLUSTER_LOCATIONS must be a JSON object: location → {\"collector\", \"schedd\"}", e);
        }
    }
}
