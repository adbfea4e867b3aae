using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Wms.Testing.Tests;

/// <summary>
/// A tiny, in-memory imitation of the WMS TMS endpoints on <c>/v0</c> and <c>/v1</c> over one store, just enough to
/// exercise <see cref="SimulatedTms"/> over real HTTP. Not a reference implementation.
/// </summary>
internal sealed class StubWms : IAsyncDisposable
{
    private const int Retries = 2; // as upstream: a taskforce is offered while it has at most this many failures

    private readonly Lock _gate = new();
    private readonly List<JsonObject> _taskforces = [];
    private readonly Dictionary<string, JsonObject> _directives = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _profiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _submitFailures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _rmFailures = new(StringComparer.Ordinal);
    private readonly List<(string Method, string Path, JsonNode? Body)> _requests = [];
    private WebApplication _app = null!;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>When set, pending-starter offers carry a key the schema forbids.</summary>
    public bool BreakSchema { get; set; }

    /// <summary>When set, rewrites each non-empty /v1 pending-starter answer before it is sent (e.g. drops a key).</summary>
    public Func<JsonObject, JsonObject>? RewriteStarterAnswer { get; set; }

    /// <summary>When set, runs on the stored taskforce right after /v1 pending-starter offers it (e.g. an abort lands).</summary>
    public Action<JsonObject>? AfterStarterOffer { get; set; }

    public IReadOnlyList<(string Method, string Path, JsonNode? Body)> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToArray();
            }
        }
    }

    public static async Task<StubWms> StartAsync()
    {
        var stub = new StubWms();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.MapGet("/v0/tms/pending-starter/taskforces", c => stub.OfferAsync(c, "pending-starter"));
        app.MapGet("/v0/tms/pending-stopper/taskforces", c => stub.OfferAsync(c, "pending-stopper"));
        app.MapGet("/v1/tms/pending-starter/taskforces", stub.OfferToStartAsync);
        app.MapGet("/v1/tms/pending-stopper/taskforces", c => stub.OfferAsync(c, "pending-stopper"));
        foreach (var version in new[] { "v0", "v1" })
        {
            app.MapGet($"/{version}/taskforces/{{uuid}}", stub.GetTaskforceAsync);
            app.MapPost($"/{version}/tms/condor-submit/taskforces/{{uuid}}", c => stub.TransitionAsync(c, "condor-submit", requirePhase: "pending-starter"));
            app.MapPost($"/{version}/tms/condor-submit/taskforces/{{uuid}}/failed", c => stub.TransitionAsync(c, null, requirePhase: "pending-starter"));
            app.MapPost($"/{version}/tms/condor-rm/taskforces/{{uuid}}", c => stub.TransitionAsync(c, "condor-rm", requirePhase: null));
            app.MapPost($"/{version}/tms/condor-rm/taskforces/{{uuid}}/failed", c => stub.TransitionAsync(c, null, requirePhase: null));
            app.MapPost($"/{version}/tms/condor-complete/taskforces/{{uuid}}", c => stub.TransitionAsync(c, "condor-complete", requirePhase: null));
            app.MapPost($"/{version}/tms/statuses/taskforces", stub.StatusesAsync);
            app.MapPost($"/{version}/query/taskforces", c => stub.QueryAsync(c, pages: version == "v1"));
        }
        await app.StartAsync();
        stub._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        stub.BaseAddress = new Uri(address + "/");
        return stub;
    }

    public void Add(JsonObject taskforce)
    {
        lock (_gate)
        {
            _taskforces.Add(taskforce);
        }
    }

    /// <summary>Adds a task directive, offered on /v1 with the taskforces that name its task_id.</summary>
    public void AddDirective(JsonObject directive)
    {
        lock (_gate)
        {
            _directives[(string)directive["task_id"]!] = directive;
        }
    }

    /// <summary>Adds an MQ profile, offered on /v1 with every taskforce whose directive names its mqid as a queue.</summary>
    public void AddProfile(JsonObject profile)
    {
        lock (_gate)
        {
            _profiles[(string)profile["mqid"]!] = profile;
        }
    }

    public JsonObject Get(string uuid)
    {
        lock (_gate)
        {
            return (JsonObject)_taskforces.Single(t => (string?)t["taskforce_uuid"] == uuid).DeepClone();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // /v0 matches collector and schedd; /v1 matches the schedd alone, as upstream does since collector was deprecated.
    private async Task OfferAsync(HttpContext context, string phase)
    {
        var byCollector = context.Request.Path.StartsWithSegments("/v0", StringComparison.Ordinal);
        var collector = context.Request.Query["collector"].ToString();
        var schedd = context.Request.Query["schedd"].ToString();
        JsonObject answer;
        lock (_gate)
        {
            _requests.Add(("GET", context.Request.Path + context.Request.QueryString, null));
            var next = _taskforces.FirstOrDefault(t =>
                (string?)t["phase"] == phase && (!byCollector || (string?)t["collector"] == collector) && (string?)t["schedd"] == schedd
                && (phase != "pending-stopper" || t["cluster_id"] is not null)
                && (phase != "pending-stopper" || _rmFailures.GetValueOrDefault((string)t["taskforce_uuid"]!) <= Retries));
            answer = next is null ? [] : (JsonObject)next.DeepClone();
            if (next is not null && BreakSchema)
            {
                answer["_id"] = "internal";
            }
        }

        await WriteAsync(context, 200, answer);
    }

    private async Task OfferToStartAsync(HttpContext context)
    {
        var schedd = context.Request.Query["schedd"].ToString();
        JsonObject answer;
        lock (_gate)
        {
            _requests.Add(("GET", context.Request.Path + context.Request.QueryString, null));
            var next = _taskforces.FirstOrDefault(t =>
                (string?)t["phase"] == "pending-starter" && (string?)t["schedd"] == schedd
                && _submitFailures.GetValueOrDefault((string)t["taskforce_uuid"]!) <= Retries);
            if (next is null)
            {
                answer = [];
            }
            else
            {
                var directive = _directives[(string)next["task_id"]!];
                var queues = directive["input_queues"]!.AsArray().Concat(directive["output_queues"]!.AsArray())
                    .Select(q => (string)q!).Distinct(StringComparer.Ordinal);
                answer = new JsonObject
                {
                    ["taskforce"] = next.DeepClone(),
                    ["task_directive"] = directive.DeepClone(),
                    ["mqprofiles"] = new JsonArray(queues.Where(_profiles.ContainsKey).Select(q => (JsonNode)_profiles[q].DeepClone()).ToArray()),
                };
                answer = RewriteStarterAnswer?.Invoke(answer) ?? answer;
                AfterStarterOffer?.Invoke(next);
            }
        }

        await WriteAsync(context, 200, answer);
    }

    private async Task GetTaskforceAsync(HttpContext context)
    {
        var uuid = (string)context.Request.RouteValues["uuid"]!;
        JsonObject? taskforce;
        lock (_gate)
        {
            _requests.Add(("GET", context.Request.Path, null));
            taskforce = (JsonObject?)_taskforces.FirstOrDefault(t => (string?)t["taskforce_uuid"] == uuid)?.DeepClone();
        }

        await WriteAsync(context, taskforce is null ? 404 : 200, taskforce ?? new JsonObject { ["code"] = 404, ["error"] = $"no taskforce found with uuid: {uuid}" });
    }

    private async Task TransitionAsync(HttpContext context, string? toPhase, string? requirePhase)
    {
        var uuid = (string)context.Request.RouteValues["uuid"]!;
        var body = await ReadAsync(context);
        int status;
        JsonObject answer;
        lock (_gate)
        {
            _requests.Add(("POST", context.Request.Path, body));
            var taskforce = _taskforces.FirstOrDefault(t => (string?)t["taskforce_uuid"] == uuid);
            if (taskforce is null || (requirePhase is not null && (string?)taskforce["phase"] != requirePhase))
            {
                (status, answer) = (404, new JsonObject { ["code"] = 404, ["error"] = $"no taskforce found with uuid: {uuid}" });
            }
            else
            {
                if (toPhase is not null)
                {
                    taskforce["phase"] = toPhase;
                }
                else
                {
                    var failures = requirePhase == "pending-starter" ? _submitFailures : _rmFailures;
                    failures[uuid] = failures.GetValueOrDefault(uuid) + 1;
                }

                if (toPhase == "condor-submit")
                {
                    foreach (var key in new[] { "cluster_id", "n_workers", "submit_dict", "job_event_log_fpath" })
                    {
                        taskforce[key] = body![key]!.DeepClone();
                    }
                }

                (status, answer) = (200, new JsonObject { ["taskforce_uuid"] = uuid });
            }
        }

        await WriteAsync(context, status, answer);
    }

    private async Task StatusesAsync(HttpContext context)
    {
        var body = (await ReadAsync(context))!.AsObject();
        var results = new JsonArray();
        var anyFailed = false;
        lock (_gate)
        {
            _requests.Add(("POST", context.Request.Path, body));
            var uuids = new[] { "top_task_errors_by_taskforce", "compound_statuses_by_taskforce" }
                .SelectMany(k => body[k]?.AsObject().Select(kv => kv.Key) ?? [])
                .Distinct();
            foreach (var uuid in uuids)
            {
                if (_taskforces.Any(t => (string?)t["taskforce_uuid"] == uuid))
                {
                    results.Add(new JsonObject { ["uuid"] = uuid, ["status"] = "updated" });
                }
                else
                {
                    anyFailed = true;
                    results.Add(new JsonObject { ["uuid"] = uuid, ["status"] = "failed", ["error"] = "no taskforce found with uuid" });
                }
            }
        }

        await WriteAsync(context, anyFailed ? 207 : 200, new JsonObject { ["results"] = results });
    }

    // Equality on top-level fields plus "$ne"; any other operator object matches nothing (enough for the TMS's queries).
    // Paged (/v1) answers carry next_after: null, as one page always holds everything here.
    private async Task QueryAsync(HttpContext context, bool pages)
    {
        var body = (await ReadAsync(context))!.AsObject();
        var query = body["query"]!.AsObject();
        var projection = body["projection"]?.AsArray().Select(p => (string)p!).ToArray();
        var found = new JsonArray();
        lock (_gate)
        {
            _requests.Add(("POST", context.Request.Path, body));
            foreach (var taskforce in _taskforces.Where(t => query.All(q => Matches(t[q.Key], q.Value))))
            {
                var copy = new JsonObject();
                foreach (var (key, value) in taskforce)
                {
                    if (projection is null || projection.Contains(key))
                    {
                        copy[key] = value?.DeepClone();
                    }
                }

                found.Add(copy);
            }
        }

        var answer = new JsonObject { ["taskforces"] = found };
        if (pages)
        {
            answer["next_after"] = null;
        }

        await WriteAsync(context, 200, answer);
    }

    private static bool Matches(JsonNode? value, JsonNode? condition) => condition switch
    {
        JsonObject { Count: 1 } op when op.TryGetPropertyValue("$ne", out var other) => !JsonNode.DeepEquals(value, other),
        JsonObject => false,
        _ => JsonNode.DeepEquals(value, condition),
    };

    private static async Task<JsonNode?> ReadAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync();
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    private static async Task WriteAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }
}
