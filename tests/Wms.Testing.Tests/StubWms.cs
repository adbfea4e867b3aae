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
/// A tiny, in-memory imitation of the WMS TMS endpoints, just enough to exercise <see cref="SimulatedTms"/>
/// over real HTTP. Not a reference implementation.
/// </summary>
internal sealed class StubWms : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<JsonObject> _taskforces = [];
    private readonly List<(string Method, string Path, JsonNode? Body)> _requests = [];
    private WebApplication _app = null!;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>When set, pending-starter offers carry a key the schema forbids.</summary>
    public bool BreakSchema { get; set; }

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
        app.MapPost("/v0/tms/condor-submit/taskforces/{uuid}", c => stub.TransitionAsync(c, "condor-submit", requirePhase: "pending-starter"));
        app.MapPost("/v0/tms/condor-submit/taskforces/{uuid}/failed", c => stub.TransitionAsync(c, null, requirePhase: "pending-starter"));
        app.MapPost("/v0/tms/condor-rm/taskforces/{uuid}", c => stub.TransitionAsync(c, "condor-rm", requirePhase: null));
        app.MapPost("/v0/tms/condor-rm/taskforces/{uuid}/failed", c => stub.TransitionAsync(c, null, requirePhase: null));
        app.MapPost("/v0/tms/condor-complete/taskforces/{uuid}", c => stub.TransitionAsync(c, "condor-complete", requirePhase: null));
        app.MapPost("/v0/tms/statuses/taskforces", stub.StatusesAsync);
        app.MapPost("/v0/query/taskforces", stub.QueryAsync);
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

    private async Task OfferAsync(HttpContext context, string phase)
    {
        var collector = context.Request.Query["collector"].ToString();
        var schedd = context.Request.Query["schedd"].ToString();
        JsonObject answer;
        lock (_gate)
        {
            _requests.Add(("GET", context.Request.Path + context.Request.QueryString, null));
            var next = _taskforces.FirstOrDefault(t =>
                (string?)t["phase"] == phase && (string?)t["collector"] == collector && (string?)t["schedd"] == schedd
                && (phase != "pending-stopper" || t["cluster_id"] is not null));
            answer = next is null ? [] : (JsonObject)next.DeepClone();
            if (next is not null && BreakSchema)
            {
                answer["_id"] = "internal";
            }
        }

        await WriteAsync(context, 200, answer);
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

    // Equality on top-level fields only; any operator object matches nothing (enough for the TMS's two queries).
    private async Task QueryAsync(HttpContext context)
    {
        var body = (await ReadAsync(context))!.AsObject();
        var query = body["query"]!.AsObject();
        var projection = body["projection"]?.AsArray().Select(p => (string)p!).ToArray();
        var found = new JsonArray();
        lock (_gate)
        {
            _requests.Add(("POST", context.Request.Path, body));
            foreach (var taskforce in _taskforces.Where(t => query.All(q => q.Value is not JsonObject && JsonNode.DeepEquals(t[q.Key], q.Value))))
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

        await WriteAsync(context, 200, new JsonObject { ["taskforces"] = found });
    }

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
