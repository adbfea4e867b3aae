using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wms.Testing;

/// <summary>
/// Talks to a running WMS over HTTP the way the real Task Management Service does for one HTCondor schedd, in one of
/// two generations: the <c>/v0</c> TMS (collector + schedd, answers checked against <see cref="V0Schema"/>) or
/// TMS v1.2.4 on <c>/v1</c> (schedd only, answers checked against <see cref="V1Schema"/>). A schema violation throws
/// <see cref="SchemaViolationException"/>; an unexpected non-2xx status throws <see cref="UnexpectedResponseException"/>;
/// on <c>/v1</c>, an answer the real TMS could not use throws <see cref="TmsCrashException"/>.
/// </summary>
/// <remarks>
/// The <see cref="HttpClient"/> is the caller's: its BaseAddress is the WMS root (e.g. <c>http://127.0.0.1:5123/</c>)
/// and it carries whatever Authorization header the test wants. Paths are sent relative, so a base path is kept.
/// Calls only one generation's TMS makes throw <see cref="InvalidOperationException"/> in the other generation.
/// </remarks>
public sealed class SimulatedTms
{
    private const int MaxOffersPerCycle = 10_000; // stops a runaway loop when the WMS keeps offering work
    private const string JobEventLogDirectory = "/scratch/ewms";

    private static readonly IReadOnlyCollection<int> NoExtraStatuses = [];

    private readonly HttpClient _http;
    private readonly WmsSchema _schema;
    private readonly string _prefix;
    private readonly Lock _startsGate = new();
    private readonly List<TmsStart> _starts = [];
    private long _nextClusterId;

    /// <summary>A <c>/v0</c> TMS for one collector + schedd.</summary>
    public SimulatedTms(HttpClient http, string collector, string schedd, V0Schema schema, long firstClusterId = 10_001)
        : this(http, collector, schedd, schema, 0, firstClusterId)
    {
    }

    /// <summary>A <c>/v1</c> TMS (v1.2.4) for one schedd; it knows no collector.</summary>
    public SimulatedTms(HttpClient http, string schedd, V1Schema schema, long firstClusterId = 10_001)
        : this(http, null, schedd, schema, 1, firstClusterId)
    {
    }

    private SimulatedTms(HttpClient http, string? collector, string schedd, WmsSchema schema, int apiVersion, long firstClusterId)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(schema);
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("the HttpClient needs a BaseAddress (the WMS root)", nameof(http));
        }

        _http = http;
        _schema = schema;
        _prefix = $"v{apiVersion}";
        ApiVersion = apiVersion;
        Collector = collector;
        Schedd = schedd;
        _nextClusterId = firstClusterId;
        LogDate = DateOnly.FromDateTime(DateTime.UtcNow);
    }

    /// <summary>0 for the <c>/v0</c> TMS, 1 for TMS v1.2.4 on <c>/v1</c>.</summary>
    public int ApiVersion { get; }

    /// <summary>The HTCondor collector the <c>/v0</c> TMS names; null on <c>/v1</c>, where the TMS sends none.</summary>
    public string? Collector { get; }

    public string Schedd { get; }

    /// <summary>The day used in job event log paths; fixed per instance so a run across midnight stays consistent.</summary>
    public DateOnly LogDate { get; }

    /// <summary>
    /// The <c>/v1</c> TMS's job event log: one file per day (<c>{dir}/{yyyy-MM-dd}.tms.jel</c>) shared by every
    /// cluster it submits that day, as TMS v1.2.4 does.
    /// </summary>
    public string JobEventLogFpath => $"{JobEventLogDirectory}/{Day}.tms.jel";

    /// <summary>
    /// When set, the <c>/v1</c> starter asks it before each submit: a non-null answer is the HTCondor error, reported
    /// with <c>condor-submit/.../failed</c> instead of submitting (and the WMS may offer that taskforce again).
    /// </summary>
    public Func<string, string?>? CondorSubmitError { get; set; }

    /// <summary>
    /// When set, the <c>/v1</c> stopper asks it before each removal: a non-null answer makes <c>condor_rm</c> fail,
    /// reported with <c>condor-rm/.../failed</c> and body <c>{}</c> (the TMS sends no error text there).
    /// </summary>
    public Func<string, string?>? CondorRmError { get; set; }

    /// <summary>Every pending-starter offer the <c>/v1</c> starter handled, in order (a snapshot).</summary>
    public IReadOnlyList<TmsStart> Starts
    {
        get
        {
            lock (_startsGate)
            {
                return _starts.ToArray();
            }
        }
    }

    private string Day => LogDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// A TMS v1.2.4 on <c>/v1</c> for one schedd, checked against <see cref="V1Schema.Shared"/>.
    /// </summary>
    public static SimulatedTms ForV1(HttpClient http, string schedd, long firstClusterId = 10_001) =>
        new(http, schedd, V1Schema.Shared, firstClusterId);

    /// <summary>
    /// The HTCondor job event log path this TMS uses for a cluster: one per cluster on <c>/v0</c>; on <c>/v1</c> the
    /// day's shared <see cref="JobEventLogFpath"/>, whatever the cluster.
    /// </summary>
    public string JobEventLogFpathFor(long clusterId) =>
        ApiVersion == 0 ? $"{JobEventLogDirectory}/{Day}/tms-cluster-{clusterId}.log" : JobEventLogFpath;

    /// <summary>The last offer of this taskforce the <c>/v1</c> starter handled, or null.</summary>
    public TmsStart? LastStartOf(string taskforceUuid)
    {
        lock (_startsGate)
        {
            return _starts.LastOrDefault(s => s.TaskforceUuid == taskforceUuid);
        }
    }

    /// <summary>Hands out cluster ids the way a schedd does: increasing, never reused by this instance.</summary>
    public long AllocateClusterId() => Interlocked.Increment(ref _nextClusterId) - 1;

    /// <summary>
    /// The next taskforce to start here, or null when the WMS answers <c>{}</c>. On <c>/v0</c> the taskforce itself;
    /// on <c>/v1</c> the whole answer <c>{taskforce, task_directive, mqprofiles}</c>, not yet read by the TMS.
    /// </summary>
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
        return PostAsync($"{_prefix}/tms/condor-submit/taskforces/{Escape(taskforceUuid)}", body, accept, cancellationToken);
    }

    /// <summary>Reports that the HTCondor submit failed.</summary>
    public Task<TmsResponse> FailSubmitAsync(
        string taskforceUuid, string error, IReadOnlyCollection<int>? accept = null, CancellationToken cancellationToken = default) =>
        PostAsync($"{_prefix}/tms/condor-submit/taskforces/{Escape(taskforceUuid)}/failed", new JsonObject { ["error"] = error }, accept, cancellationToken);

    /// <summary>Reports that the cluster was removed (body <c>{}</c>, as the Python client sends).</summary>
    public Task<TmsResponse> RmAsync(
        string taskforceUuid, IReadOnlyCollection<int>? accept = null, CancellationToken cancellationToken = default) =>
        PostAsync($"{_prefix}/tms/condor-rm/taskforces/{Escape(taskforceUuid)}", [], accept, cancellationToken);

    /// <summary>Reports a failed removal. The real TMS sends <c>{}</c> here, without the documented "error" key.</summary>
    public Task<TmsResponse> FailRmAsync(
        string taskforceUuid, IReadOnlyCollection<int>? accept = null, CancellationToken cancellationToken = default) =>
        PostAsync($"{_prefix}/tms/condor-rm/taskforces/{Escape(taskforceUuid)}/failed", [], accept, cancellationToken);

    /// <summary>Reports that every job of the cluster is done.</summary>
    public Task<TmsResponse> CompleteAsync(
        string taskforceUuid, long condorCompleteTs, IReadOnlyCollection<int>? accept = null, CancellationToken cancellationToken = default) =>
        PostAsync(
            $"{_prefix}/tms/condor-complete/taskforces/{Escape(taskforceUuid)}",
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

        return PostAsync($"{_prefix}/tms/statuses/taskforces", body, accept, cancellationToken);
    }

    /// <summary>
    /// How the TMS maps a job event log back to its taskforces: returns the <c>taskforces</c> list (on <c>/v1</c> the
    /// first page only, as the TMS ignores <c>next_after</c>, each item read for <c>taskforce_uuid</c> and <c>cluster_id</c>).
    /// </summary>
    public async Task<JsonArray> FindTaskforcesByLogAsync(string jobEventLogFpath, CancellationToken cancellationToken = default)
    {
        var query = new JsonObject();
        if (ApiVersion == 0)
        {
            query["collector"] = Collector;
        }

        query["schedd"] = Schedd;
        query["job_event_log_fpath"] = jobEventLogFpath;
        var body = new JsonObject { ["query"] = query, ["projection"] = new JsonArray("taskforce_uuid", "cluster_id") };
        var found = TaskforceList(await PostAsync($"{_prefix}/query/taskforces", body, null, cancellationToken).ConfigureAwait(false));
        if (ApiVersion == 1)
        {
            for (var i = 0; i < found.Count; i++)
            {
                ReadKey(found[i], $"taskforces[{i}]", "taskforce_uuid");
                ReadKey(found[i], $"taskforces[{i}]", "cluster_id");
            }
        }

        return found;
    }

    /// <summary>
    /// The <c>/v0</c> TMS's query on <c>condor_complete_ts</c>, a field taskforces do not have: the real TMS expects an
    /// empty list back. TMS v1.2.4 no longer sends it (see <see cref="FindUncompletedByLogAsync"/>).
    /// </summary>
    public async Task<JsonArray> QueryCompletedAsync(CancellationToken cancellationToken = default)
    {
        RequireApiVersion(0, nameof(QueryCompletedAsync));
        var body = new JsonObject
        {
            ["query"] = new JsonObject { ["condor_complete_ts"] = new JsonObject { ["$ne"] = null } },
        };
        return TaskforceList(await PostAsync("v0/query/taskforces", body, null, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// TMS v1.2.4's watcher naming the taskforce of one cluster it sees in a job event log: the first found item's
    /// <c>taskforce_uuid</c>, or null when the list is empty (the TMS then ignores that cluster for the rest of its run).
    /// </summary>
    public async Task<string?> FindTaskforceUuidByClusterAsync(string jobEventLogFpath, long clusterId, CancellationToken cancellationToken = default)
    {
        RequireApiVersion(1, nameof(FindTaskforceUuidByClusterAsync));
        var body = new JsonObject
        {
            ["query"] = new JsonObject
            {
                ["schedd"] = Schedd,
                ["job_event_log_fpath"] = jobEventLogFpath,
                ["cluster_id"] = clusterId,
            },
            ["projection"] = new JsonArray("taskforce_uuid"),
        };
        var found = TaskforceList(await PostAsync("v1/query/taskforces", body, null, cancellationToken).ConfigureAwait(false));
        return found.Count == 0 ? null : PythonText.Str(ReadKey(found[0], "taskforces[0]", "taskforce_uuid"));
    }

    /// <summary>
    /// TMS v1.2.4 asking whether a job event log is still used: the taskforces on it not yet in condor-complete
    /// (<c>phase: {$ne: condor-complete}</c>). An empty list lets the TMS delete the file.
    /// </summary>
    public async Task<JsonArray> FindUncompletedByLogAsync(string jobEventLogFpath, CancellationToken cancellationToken = default)
    {
        RequireApiVersion(1, nameof(FindUncompletedByLogAsync));
        var body = new JsonObject
        {
            ["query"] = new JsonObject
            {
                ["job_event_log_fpath"] = jobEventLogFpath,
                ["schedd"] = Schedd,
                ["phase"] = new JsonObject { ["$ne"] = "condor-complete" },
            },
            ["projection"] = new JsonArray("taskforce_uuid"),
        };
        return TaskforceList(await PostAsync("v1/query/taskforces", body, null, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Reads one taskforce (a TMS may; a 404 is returned, not thrown).</summary>
    public Task<TmsResponse> GetTaskforceAsync(string taskforceUuid, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"{_prefix}/taskforces/{Escape(taskforceUuid)}", null, [404], cancellationToken);

    /// <summary>
    /// One minute of the real TMS starter: take pending-starter taskforces until <c>{}</c>, submitting each with the
    /// next cluster id and the taskforce's <c>n_workers</c>. Returns the uuids submitted, in order.
    /// </summary>
    /// <remarks>
    /// On <c>/v1</c>, as TMS v1.2.4: each answer is read whole (<see cref="PendingStarterOffer.Read"/>, which throws
    /// <see cref="TmsCrashException"/> on a missing key), the phase is read back with <c>GET /v1/taskforces/{uuid}</c>
    /// and the taskforce skipped unless still pending-starter, then submitted (or failed, see
    /// <see cref="CondorSubmitError"/>). Every offer is recorded in <see cref="Starts"/>.
    /// </remarks>
    public Task<IReadOnlyList<string>> RunStarterCycleAsync(CancellationToken cancellationToken = default) =>
        ApiVersion == 0 ? RunV0StarterCycleAsync(cancellationToken) : RunV1StarterCycleAsync(cancellationToken);

    /// <summary>
    /// One minute of the real TMS stopper: take pending-stopper taskforces until <c>{}</c>, removing each. Returns the
    /// uuids removed, in order. On <c>/v1</c> the answer's <c>cluster_id</c> and <c>taskforce_uuid</c> are read (a
    /// missing one throws <see cref="TmsCrashException"/>) and <see cref="CondorRmError"/> may fail a removal.
    /// </summary>
    public Task<IReadOnlyList<string>> RunStopperCycleAsync(CancellationToken cancellationToken = default) =>
        ApiVersion == 0 ? RunV0StopperCycleAsync(cancellationToken) : RunV1StopperCycleAsync(cancellationToken);

    private async Task<IReadOnlyList<string>> RunV0StarterCycleAsync(CancellationToken cancellationToken)
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

    private async Task<IReadOnlyList<string>> RunV0StopperCycleAsync(CancellationToken cancellationToken)
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

    private async Task<IReadOnlyList<string>> RunV1StarterCycleAsync(CancellationToken cancellationToken)
    {
        var submitted = new List<string>();
        var handled = new Dictionary<string, TmsStartOutcome>(StringComparer.Ordinal);
        for (var offers = 0; offers < MaxOffersPerCycle; offers++)
        {
            var answer = await PollPendingStarterAsync(cancellationToken).ConfigureAwait(false);
            if (answer is null)
            {
                return submitted;
            }

            var offer = PendingStarterOffer.Read(answer, JobEventLogFpath);
            var uuid = offer.TaskforceUuid;
            if (handled.TryGetValue(uuid, out var before) && before is not TmsStartOutcome.SubmitFailed)
            {
                // The real TMS would loop on this forever; a WMS that re-offers after a submit or a phase change is wrong.
                throw new InvalidOperationException($"pending-starter offered {uuid} again after the TMS's {before}");
            }

            var phase = await ReadPhaseAsync(uuid, cancellationToken).ConfigureAwait(false);
            TmsStart start;
            if (phase != "pending-starter")
            {
                start = new TmsStart(offer, TmsStartOutcome.SkippedNotPendingStarter, phase, null, null);
            }
            else if (CondorSubmitError?.Invoke(uuid) is { } error)
            {
                var failure = new JsonObject { ["error"] = error };
                await PostAsync($"v1/tms/condor-submit/taskforces/{Escape(uuid)}/failed", failure, null, cancellationToken).ConfigureAwait(false);
                start = new TmsStart(offer, TmsStartOutcome.SubmitFailed, phase, null, failure);
            }
            else
            {
                var clusterId = AllocateClusterId();
                var body = new JsonObject
                {
                    ["cluster_id"] = clusterId,
                    ["n_workers"] = offer.NWorkers,
                    ["submit_dict"] = offer.SubmitDict.DeepClone(),
                    ["job_event_log_fpath"] = JobEventLogFpath,
                };
                await PostAsync($"v1/tms/condor-submit/taskforces/{Escape(uuid)}", body, null, cancellationToken).ConfigureAwait(false);
                start = new TmsStart(offer, TmsStartOutcome.Submitted, phase, clusterId, body);
                submitted.Add(uuid);
            }

            handled[uuid] = start.Outcome;
            lock (_startsGate)
            {
                _starts.Add(start);
            }
        }

        throw new InvalidOperationException($"pending-starter kept offering work after {MaxOffersPerCycle} offers");
    }

    private async Task<IReadOnlyList<string>> RunV1StopperCycleAsync(CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        for (var offers = 0; offers < MaxOffersPerCycle; offers++)
        {
            var taskforce = await PollPendingStopperAsync(cancellationToken).ConfigureAwait(false);
            if (taskforce is null)
            {
                return removed;
            }

            // condor_rm needs the cluster first; the uuid is read for the report after it.
            ReadKey(taskforce, "", "cluster_id");
            var uuid = PythonText.Str(ReadKey(taskforce, "", "taskforce_uuid"));
            if (removed.Contains(uuid))
            {
                throw new InvalidOperationException($"pending-stopper offered {uuid} again after it was removed");
            }

            if (CondorRmError?.Invoke(uuid) is not null)
            {
                await FailRmAsync(uuid, cancellationToken: cancellationToken).ConfigureAwait(false);
                continue;
            }

            await RmAsync(uuid, cancellationToken: cancellationToken).ConfigureAwait(false);
            removed.Add(uuid);
        }

        throw new InvalidOperationException($"pending-stopper kept offering work after {MaxOffersPerCycle} removals");
    }

    // The starter's last look before submitting: anything but pending-starter means the WMS changed its mind.
    private async Task<string> ReadPhaseAsync(string uuid, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Get, $"v1/taskforces/{Escape(uuid)}", null, null, cancellationToken).ConfigureAwait(false);
        return PythonText.Str(ReadKey(response.Body, "", "phase"));
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
        var query = Collector is null
            ? $"schedd={Uri.EscapeDataString(Schedd)}"
            : $"collector={Uri.EscapeDataString(Collector)}&schedd={Uri.EscapeDataString(Schedd)}";
        var path = $"{_prefix}/tms/{action}/taskforces?{query}";
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

    private JsonArray TaskforceList(TmsResponse response) =>
        response.Body?["taskforces"] as JsonArray
        ?? throw new UnexpectedResponseException("POST", $"/{_prefix}/query/taskforces", response.StatusCode, response.Body?.ToJsonString() ?? "", "no 'taskforces' list");

    private void RequireApiVersion(int apiVersion, string call)
    {
        if (ApiVersion != apiVersion)
        {
            throw new InvalidOperationException($"{call} is what the /v{apiVersion} TMS sends; this TMS speaks /v{ApiVersion}");
        }
    }

    // A Python dict lookup on the answer: a missing key is a KeyError that stops the real TMS.
    private static JsonNode? ReadKey(JsonNode? parent, string parentPath, string key)
    {
        var where = parentPath.Length == 0 ? key : $"{parentPath}.{key}";
        if (parent is not JsonObject obj)
        {
            throw new TmsCrashException(parentPath.Length == 0 ? "(answer)" : parentPath, $"is not an object, so '{key}' cannot be read");
        }

        return obj.TryGetPropertyValue(key, out var value) ? value : throw new TmsCrashException(where, "is missing (KeyError)");
    }

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
