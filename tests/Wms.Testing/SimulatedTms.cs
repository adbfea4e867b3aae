using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wms.Testing;

/// <summary>
/// Talks to a running WMS over HTTP the way the real Task Management Service does for one
/// HTCondor collector + schedd. Every response is checked against the v0 schema (a violation throws
/// <see cref="SchemaViolationException"/>); an unexpected non-2xx status throws <see cref="UnexpectedResponseException"/>.
/// </summary>
/// <remarks>
/// The <see cref="HttpClient"/> is the caller's: its BaseAddress is the WMS root (e.g. <c>http://127.0.0.1:5123/</c>)
/// and it carries whatever Authorization header the test wants. Paths are sent relative, so a base path is kept.
/// </remarks>
public sealed class SimulatedTms
{
    private const int MaxOffersPerCycle = 10_000; // stops a runaway loop when the WMS keeps offering work

    private static readonly IReadOnlyCollection<int> NoExtraStatuses = [];

    private readonly HttpClient _http;
    private readonly V0Schema _schema;
    private long _nextClusterId;

    public SimulatedTms(HttpClient http, string collector, string schedd, V0Schema schema, long firstClusterId = 10_001)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(schema);
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("the HttpClient needs a BaseAddress (the WMS root)", nameof(http));
        }

        _http = http;
        _schema = schema;
        Collector = collector;
        Schedd = schedd;
        _nextClusterId = firstClusterId;
        LogDate = DateOnly.FromDateTime(DateTime.UtcNow);
    }

    public string Collector { get; }

    public string Schedd { get; }

    /// <summary>The day used in job event log paths; fixed per instance so a run across midnight stays consistent.</summary>
    public DateOnly LogDate { get; }

    /// <summary>The HTCondor job event log path this TMS uses for a cluster.</summary>
    public string JobEventLogFpathFor(long clusterId) =>
        $"/scratch/ewms/{LogDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}/tms-cluster-{clusterId}.log";

    /// <summary>Hands out cluster ids the way a schedd does: increasing, never reused by this instance.</summary>
    public long AllocateClusterId() => Interlocked.Increment(ref _nextClusterId) - 1;

    /// <summary>The next taskforce to start here, or null when the WMS answers <c>{}</c>.</summary>
    public Task<JsonObject?> PollPendingStarterAsync(CancellationToken cancellationToken = default) =>
        PollAsync("pending-starter", cancellationToken);

    /// <summary>The next taskforce to stop here, or null when the WMS answers <c>{}</c>.</summary>
    public Task<JsonObject?> PollPendingStopperAsync(CancellationToken cancellationToken = default) =>
        PollAsync("pending-stopper", cancellationToken);

    /// <summary>Reports a successful HTCondor submit. Without a <paramref name="submitDict"/> a realistic one is made.</summary>
    public Task<TmsResponse> SubmitAsync(
        string taskforceUuid,
        long clusterId,
        int nWorkers,
        JsonObject? submitDict = null,
        string? jobEventLogFpath = null,
        IReadOnlyCollection<int>? accept = null,
        CancellationToken cancellationToken = default)
    {
        var logPath = jobEventLogFpath ?? JobEventLogFpathFor(clusterId);
        var body = new JsonObject
        {
            ["cluster_id"] = clusterId,
            ["n_workers"] = nWorkers,
            ["submit_dict"] = submitDict ?? TmsSamples.SubmitDict(taskforceUuid, logPath),
            ["job_event_log_fpath"] = logPath,
        };
        return PostAsync($"v0/tms/condor-submit/taskforces/{Escape(taskforceUuid)}", body, accept, cancellationToken);
    }

    /// <summary>Reports that the HTCondor submit failed.</summary>
    public Task<TmsResponse> FailSubmitAsync(
        string taskforceUuid, string error, IReadOnlyCollection<int>? accept = null, CancellationToken cancellationToken = default) =>
        PostAsync($"v0/tms/condor-submit/taskforces/{Escape(taskforceUuid)}/failed", new JsonObject { ["error"] = error }, accept, cancellationToken);

    /// <summary>Reports that the cluster was removed (body <c>{}</c>, as the Python client sends).</summary>
    public Task<TmsResponse> RmAsync(
        string taskforceUuid, IReadOnlyCollection<int>? accept = null, CancellationToken cancellationToken = default) =>
        PostAsync($"v0/tms/condor-rm/taskforces/{Escape(taskforceUuid)}", [], accept, cancellationToken);

    /// <summary>Reports a failed removal. The real TMS sends <c>{}</c> here, without the documented "error" key.</summary>
    public Task<TmsResponse> FailRmAsync(
        string taskforceUuid, IReadOnlyCollection<int>? accept = null, CancellationToken cancellationToken = default) =>
        PostAsync($"v0/tms/condor-rm/taskforces/{Escape(taskforceUuid)}/failed", [], accept, cancellationToken);

    /// <summary>Reports that every job of the cluster is done.</summary>
    public Task<TmsResponse> CompleteAsync(
        string taskforceUuid, long condorCompleteTs, IReadOnlyCollection<int>? accept = null, CancellationToken cancellationToken = default) =>
        PostAsync(
            $"v0/tms/condor-complete/taskforces/{Escape(taskforceUuid)}",
            new JsonObject { ["condor_complete_ts"] = condorCompleteTs },
            accept,
            cancellationToken);

    /// <summary>The bulk status update; a null map is left out of the body. 200 and 207 are both returned, not thrown.</summary>
    public Task<TmsResponse> SendStatusesAsync(
        IDictionary<string, Dictionary<string, Dictionary<string, int>>>? compoundStatuses,
        IDictionary<string, Dictionary<string, int>>? topTaskErrors,
        IReadOnlyCollection<int>? accept = null,
        CancellationToken cancellationToken = default)
    {
        var body = new JsonObject();
        if (topTaskErrors is not null)
        {
            body["top_task_errors_by_taskforce"] = ToJson(topTaskErrors);
        }

        if (compoundStatuses is not null)
        {
            body["compound_statuses_by_taskforce"] = ToJson(compoundStatuses);
        }

        return PostAsync("v0/tms/statuses/taskforces", body, accept, cancellationToken);
    }

    /// <summary>How the TMS maps a job event log back to its taskforces: returns the <c>taskforces</c> list.</summary>
    public async Task<JsonArray> FindTaskforcesByLogAsync(string jobEventLogFpath, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject
        {
            ["query"] = new JsonObject
            {
                ["collector"] = Collector,
                ["schedd"] = Schedd,
                ["job_event_log_fpath"] = jobEventLogFpath,
            },
            ["projection"] = new JsonArray("taskforce_uuid", "cluster_id"),
        };
        return TaskforceList(await PostAsync("v0/query/taskforces", body, null, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The TMS's query on <c>condor_complete_ts</c>, a field taskforces do not have: the real TMS expects an empty list back.
    /// </summary>
    public async Task<JsonArray> QueryCompletedAsync(CancellationToken cancellationToken = default)
    {
        var body = new JsonObject
        {
            ["query"] = new JsonObject { ["condor_complete_ts"] = new JsonObject { ["$ne"] = null } },
        };
        return TaskforceList(await PostAsync("v0/query/taskforces", body, null, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Reads one taskforce (a TMS may; a 404 is returned, not thrown).</summary>
    public Task<TmsResponse> GetTaskforceAsync(string taskforceUuid, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"v0/taskforces/{Escape(taskforceUuid)}", null, [404], cancellationToken);

    /// <summary>
    /// One minute of the real TMS starter: take pending-starter taskforces until <c>{}</c>, submitting each with the
    /// next cluster id and the taskforce's <c>n_workers</c>. Returns the uuids submitted, in order.
    /// </summary>
    public async Task<IReadOnlyList<string>> RunStarterCycleAsync(CancellationToken cancellationToken = default)
    {
        var submitted = new List<string>();
        for (var offers = 0; offers < MaxOffersPerCycle; offers++)
        {
            var taskforce = await PollPendingStarterAsync(cancellationToken).ConfigureAwait(false);
            if (taskforce is null)
            {
                return submitted;
            }

            var uuid = RequireUuid(taskforce, "pending-starter");
            if (submitted.Contains(uuid))
            {
                throw new InvalidOperationException($"pending-starter offered {uuid} again after it was submitted");
            }

            var clusterId = AllocateClusterId();
            var logPath = JobEventLogFpathFor(clusterId);
            var nWorkers = taskforce["n_workers"] is JsonValue n && n.TryGetValue<int>(out var workers) ? workers : 1;
            await SubmitAsync(uuid, clusterId, nWorkers, TmsSamples.SubmitDict(uuid, logPath, taskforce), logPath,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            submitted.Add(uuid);
        }

        throw new InvalidOperationException($"pending-starter kept offering work after {MaxOffersPerCycle} submits");
    }

    /// <summary>One minute of the real TMS stopper: take pending-stopper taskforces until <c>{}</c>, removing each.</summary>
    public async Task<IReadOnlyList<string>> RunStopperCycleAsync(CancellationToken cancellationToken = default)
    {
        var removed = new List<string>();
        for (var offers = 0; offers < MaxOffersPerCycle; offers++)
        {
            var taskforce = await PollPendingStopperAsync(cancellationToken).ConfigureAwait(false);
            if (taskforce is null)
            {
                return removed;
            }

            var uuid = RequireUuid(taskforce, "pending-stopper");
            if (removed.Contains(uuid))
            {
                throw new InvalidOperationException($"pending-stopper offered {uuid} again after it was removed");
            }

            await RmAsync(uuid, cancellationToken: cancellationToken).ConfigureAwait(false);
            removed.Add(uuid);
        }

        throw new InvalidOperationException($"pending-stopper kept offering work after {MaxOffersPerCycle} removals");
    }

    /// <summary>
    /// Sends any request to the WMS and checks the answer against the schema. 2xx and the <paramref name="accept"/>ed
    /// statuses are returned; anything else throws. <paramref name="relativePath"/> is relative to the WMS root.
    /// </summary>
    public async Task<TmsResponse> SendAsync(
        HttpMethod method,
        string relativePath,
        JsonNode? body,
        IReadOnlyCollection<int>? accept = null,
        CancellationToken cancellationToken = default)
    {
        var path = "/" + relativePath.TrimStart('/');
        using var request = new HttpRequestMessage(method, relativePath.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);

        JsonNode? parsed;
        try
        {
            parsed = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new UnexpectedResponseException(method.Method, path, status, text, $"body is not JSON: {e.Message}");
        }

        var violations = _schema.ValidateResponse(method.Method, path, status, parsed);
        if (violations.Count > 0)
        {
            throw new SchemaViolationException($"response {status} to {method.Method} {path} with body {Shorten(text)}", violations);
        }

        if (status is < 200 or > 299 && !(accept ?? NoExtraStatuses).Contains(status))
        {
            throw new UnexpectedResponseException(method.Method, path, status, text);
        }

        return new TmsResponse(status, parsed, response.ReasonPhrase);
    }

    private async Task<JsonObject?> PollAsync(string action, CancellationToken cancellationToken)
    {
        var query = $"collector={Uri.EscapeDataString(Collector)}&schedd={Uri.EscapeDataString(Schedd)}";
        var path = $"v0/tms/{action}/taskforces?{query}";
        var response = await SendAsync(HttpMethod.Get, path, null, null, cancellationToken).ConfigureAwait(false);
        return response.Body switch
        {
            JsonObject { Count: 0 } => null,
            JsonObject taskforce => taskforce,
            _ => throw new UnexpectedResponseException("GET", "/" + path, response.StatusCode, response.Body?.ToJsonString() ?? "", "expected a JSON object"),
        };
    }

    private Task<TmsResponse> PostAsync(string relativePath, JsonObject body, IReadOnlyCollection<int>? accept, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, relativePath, body, accept, cancellationToken);

    private static JsonArray TaskforceList(TmsResponse response) =>
        response.Body?["taskforces"] as JsonArray
        ?? throw new UnexpectedResponseException("POST", "/v0/query/taskforces", response.StatusCode, response.Body?.ToJsonString() ?? "", "no 'taskforces' list");

    private static string RequireUuid(JsonObject taskforce, string action) =>
        taskforce["taskforce_uuid"] is JsonValue v && v.GetValueKind() is JsonValueKind.String
            ? v.GetValue<string>()
            : throw new InvalidOperationException($"{action} offered a taskforce without a taskforce_uuid: {taskforce.ToJsonString()}");

    private static JsonObject ToJson(IDictionary<string, Dictionary<string, Dictionary<string, int>>> byTaskforce)
    {
        var result = new JsonObject();
        foreach (var (uuid, statuses) in byTaskforce)
        {
            var perCondorStatus = new JsonObject();
            foreach (var (condorStatus, counts) in statuses)
            {
                perCondorStatus[condorStatus] = Counts(counts);
            }

            result[uuid] = perCondorStatus;
        }

        return result;
    }

    private static JsonObject ToJson(IDictionary<string, Dictionary<string, int>> byTaskforce)
    {
        var result = new JsonObject();
        foreach (var (uuid, counts) in byTaskforce)
        {
            result[uuid] = Counts(counts);
        }

        return result;
    }

    private static JsonObject Counts(Dictionary<string, int> counts)
    {
        var result = new JsonObject();
        foreach (var (key, count) in counts)
        {
            result[key] = count;
        }

        return result;
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static string Shorten(string text) => text.Length <= 2000 ? text : text[..2000] + "...";
}
