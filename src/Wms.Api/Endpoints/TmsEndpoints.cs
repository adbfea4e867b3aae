using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wms.Api.Auth;
using Wms.Api.Errors;
using Wms.Api.Rendering;
using Wms.Api.Requests;
using Wms.Api.Responses;
using Wms.Api.Telemetry;
using Wms.Api.Wire;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Configuration;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Mqs;
using Wms.GrainInterfaces.Outcomes;
using Wms.Requests;

namespace Wms.Api.Endpoints;

/// <summary>What the TMS polls and reports.</summary>
public static class TmsEndpoints
{
    public static void MapTmsEndpoints(this IEndpointRouteBuilder routes, ApiGeneration generation)
    {
        var at = generation.Prefix();
        if (generation == ApiGeneration.V0)
        {
            routes.MapGet(at + "/tms/pending-starter/taskforces",
                (HttpRequest request, IObjectIndex index, IOptions<WmsOptions> options, TmsPollMetrics polls,
                    string? collector, string? schedd) =>
                    NextAsync(request, polls, Phase.PendingStarter,
                        (c, s, ct) => index.NextPendingStarterAsync(c, s, options.Value.TmsActionRetries, ct)))
                .For(generation, "NextPendingStarter")
                .Describe<TaskforceDocument>("tms", "The taskforce to start next at a schedd, or {}")
                .RequireWmsRoles(WmsRole.User, WmsRole.Tms);
            routes.MapGet(at + "/tms/pending-stopper/taskforces",
                (HttpRequest request, IObjectIndex index, IOptions<WmsOptions> options, TmsPollMetrics polls,
                    string? collector, string? schedd) =>
                    NextAsync(request, polls, Phase.PendingStopper,
                        (c, s, ct) => index.NextPendingStopperAsync(c, s, options.Value.TmsActionRetries, ct)))
                .For(generation, "NextPendingStopper")
                .Describe<TaskforceDocument>("tms", "The taskforce to stop next at a schedd, or {}")
                .RequireWmsRoles(WmsRole.User, WmsRole.Tms);
        }
        else
        {
            routes.MapGet(at + "/tms/pending-starter/taskforces", NextStarterV1Async)
                .For(generation, "NextPendingStarter")
                .TakesQuery("schedd", "The schedd the asking TMS submits to")
                .TakesQuery("collector", "Ignored: taskforces are found by schedd alone", required: false, deprecated: true)
                .Describe<PendingStarterV1Body>("tms",
                    "The taskforce to start next at a schedd, with its task directive and queue profiles, or {}")
                .RequireWmsRoles(WmsRole.User, WmsRole.Tms);
            routes.MapGet(at + "/tms/pending-stopper/taskforces",
                (HttpRequest request, IObjectIndex index, IOptions<WmsOptions> options, TmsPollMetrics polls) =>
                    NextStopperV1Async(request, index, options, polls))
                .For(generation, "NextPendingStopper")
                .TakesQuery("schedd", "The schedd the asking TMS submits to")
                .TakesQuery("collector", "Ignored: taskforces are found by schedd alone", required: false, deprecated: true)
                .Describe<TaskforceDocument>("tms", "The taskforce to stop next at a schedd, or {}")
                .RequireWmsRoles(WmsRole.User, WmsRole.Tms);
        }

        routes.MapPost(at + "/tms/condor-submit/taskforces/{taskforce_uuid}",
            (string taskforce_uuid, HttpRequest request, IGrainFactory grains) =>
                ReportAsync(taskforce_uuid, request, grains, starterOnly: true,
                    (tf, body, caller) => tf.CondorSubmitAsync(TmsRequests.Submission(body) with { Caller = caller })))
            .For(generation, "CondorSubmit")
            .Takes<CondorSubmitBody>().Describe<TaskforceUuidBody>("tms", "Report an HTCondor submission", 404)
            .RequireWmsRoles(WmsRole.Tms);
        routes.MapPost(at + "/tms/condor-submit/taskforces/{taskforce_uuid}/failed",
            (string taskforce_uuid, HttpRequest request, IGrainFactory grains) =>
                ReportAsync(taskforce_uuid, request, grains, starterOnly: true,
                    (tf, body, caller) => tf.CondorSubmitFailedAsync(TmsRequests.Failure(body), caller)))
            .For(generation, "CondorSubmitFailed")
            .Takes<FailureBody>().Describe<TaskforceUuidBody>("tms", "Report a failed HTCondor submission", 404)
            .RequireWmsRoles(WmsRole.Tms);
        routes.MapPost(at + "/tms/condor-rm/taskforces/{taskforce_uuid}",
            (string taskforce_uuid, HttpRequest request, IGrainFactory grains) =>
                ReportAsync(taskforce_uuid, request, grains, starterOnly: false,
                    (tf, body, caller) =>
                    {
                        TmsRequests.Empty(body);
                        return tf.CondorRmAsync(caller);
                    }))
            .For(generation, "CondorRm")
            .Takes<EmptyBody>().Describe<TaskforceUuidBody>("tms", "Report an HTCondor removal", 404)
            .RequireWmsRoles(WmsRole.Tms);
        routes.MapPost(at + "/tms/condor-rm/taskforces/{taskforce_uuid}/failed",
            (string taskforce_uuid, HttpRequest request, IGrainFactory grains) =>
                ReportAsync(taskforce_uuid, request, grains, starterOnly: false,
                    (tf, body, caller) => tf.CondorRmFailedAsync(TmsRequests.Failure(body), caller)))
            .For(generation, "CondorRmFailed")
            .Takes<FailureBody>().Describe<TaskforceUuidBody>("tms", "Report a failed HTCondor removal", 404)
            .RequireWmsRoles(WmsRole.Tms);
        routes.MapPost(at + "/tms/condor-complete/taskforces/{taskforce_uuid}",
            (string taskforce_uuid, HttpRequest request, IGrainFactory grains) =>
                ReportAsync(taskforce_uuid, request, grains, starterOnly: false,
                    (tf, body, caller) => tf.CondorCompleteAsync(TmsRequests.CondorCompleteTs(body), caller)))
            .For(generation, "CondorComplete")
            .Takes<CondorCompleteBody>().Describe<TaskforceUuidBody>("tms", "Report an HTCondor cluster's completion", 404)
            .RequireWmsRoles(WmsRole.Tms);
        routes.MapPost(at + "/tms/statuses/taskforces", StatusesAsync).For(generation, "TaskforceStatuses")
            .Takes<StatusesBody>().Describe<StatusResultsBody>("tms", "Replace taskforces' statuses in bulk")
            .Produces<StatusResultsBody>(StatusCodes.Status207MultiStatus, "application/json")
            .RequireWmsRoles(WmsRole.Tms);
    }

    private static async Task<IResult> NextAsync(
        HttpRequest request, TmsPollMetrics polls, string kind, Func<string, string, CancellationToken, Task<byte[]?>> next)
    {
        var collector = QueryArgument(request, "collector");
        var schedd = QueryArgument(request, "schedd");
        polls.Polled(schedd, kind);
        var json = await next(collector, schedd, request.HttpContext.RequestAborted);
        return json is null ? RawJson.EmptyObject : new RawJson(GenerationView.Render(ApiGeneration.V0, ObjectKind.Taskforce, json));
    }

    /// <summary>
    /// Today's TMS polls by schedd alone; a collector, if sent, is checked and ignored. The answer carries what the
    /// TMS builds the pilot's environment from; when the queue profiles cannot be had it is <c>{}</c>, since today's
    /// TMS stops on any error status, and the profile source has logged why.
    /// </summary>
    private static async Task<IResult> NextStarterV1Async(
        HttpRequest request, IObjectIndex index, IOptions<WmsOptions> options, StarterTasks tasks,
        IMqProfileSource profiles, TmsPollMetrics polls, ILoggerFactory loggers)
    {
        var schedd = QueryArgument(request, "schedd");
        OptionalQueryArgument(request, "collector");
        polls.Polled(schedd, Phase.PendingStarter);
        var cancel = request.HttpContext.RequestAborted;
        var json = await index.NextPendingStarterAtScheddAsync(schedd, options.Value.TmsActionRetries, cancel);
        if (json is null)
        {
            return RawJson.EmptyObject;
        }
        var ids = StoredFields.Texts(json, "taskforce_uuid", "task_id", "workflow_id");
        var task = await tasks.GetAsync(index, ids[1]!, ids[2]!, cancel);
        if (task is null)
        {
            TmsLog.TaskMissing(loggers.CreateLogger(typeof(TmsEndpoints)), ids[0]!, ids[1]!);
            return RawJson.EmptyObject;
        }
        var live = await profiles.GetLiveAsync(ids[2]!, task.WorkflowPriority, task.MqIds, cancel);
        return live is null
            ? RawJson.EmptyObject
            : PendingStarterV1.Of(json, task.DirectiveV1, live);
    }

    private static async Task<IResult> NextStopperV1Async(
        HttpRequest request, IObjectIndex index, IOptions<WmsOptions> options, TmsPollMetrics polls)
    {
        var schedd = QueryArgument(request, "schedd");
        OptionalQueryArgument(request, "collector");
        polls.Polled(schedd, Phase.PendingStopper);
        var json = await index.NextPendingStopperAtScheddAsync(
            schedd, options.Value.TmsActionRetries, request.HttpContext.RequestAborted);
        return json is null ? RawJson.EmptyObject : new RawJson(GenerationView.Render(ApiGeneration.V1, ObjectKind.Taskforce, json));
    }

    private static void OptionalQueryArgument(HttpRequest request, string name)
    {
        if (request.Query.ContainsKey(name))
        {
            QueryArgument(request, name);
        }
    }

    private static string QueryArgument(HttpRequest request, string name)
    {
        var values = request.Query[name];
        if (values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            throw new BadRequestException($"the query argument '{name}' is required, once");
        }
        // No pool is named so; and PostgreSQL text cannot hold NUL, so such a value must not reach the index.
        if (values[0]!.Any(char.IsControl) || values[0]!.Length > 1024)
        {
            throw new BadRequestException($"the query argument '{name}' must be printable and at most 1024 characters");
        }
        return values[0]!;
    }

    private static async Task<IResult> ReportAsync(
        string uuid, HttpRequest request, IGrainFactory grains, bool starterOnly,
        Func<ITaskforceGrain, JsonObject, string?, Task<TmsOutcome>> report)
    {
        var body = await RequestBody.ReadObjectAsync(request, allowEmpty: true);
        var outcome = Ids.IsTaskforceUuid(uuid)
            ? await report(grains.Get<ITaskforceGrain>(uuid), body, request.HttpContext.CallerSubject())
            : TmsOutcome.UnknownTaskforce;
        return outcome switch
        {
            TmsOutcome.Applied => WireResults.TaskforceUuid(uuid),
            _ when starterOnly => ApiError.NotFound($"no '{Phase.PendingStarter}' taskforce found with uuid: {uuid}"),
            _ => ApiError.NotFound($"no taskforce found with uuid: {uuid}"),
        };
    }

    private static async Task<IResult> StatusesAsync(HttpRequest request, IGrainFactory grains)
    {
        var updates = TmsRequests.Statuses(await RequestBody.ReadObjectAsync(request));
        var outcomes = await Task.WhenAll(updates.Select(u => Ids.IsTaskforceUuid(u.Uuid)
            ? grains.Get<ITaskforceGrain>(u.Uuid).UpdateStatusesAsync(u.Update)
            : Task.FromResult(TmsOutcome.UnknownTaskforce)));
        var results = updates.Zip(outcomes).OrderBy(x => x.Second == TmsOutcome.Applied).Select(x =>
            (JsonNode)(x.Second == TmsOutcome.Applied
                ? new JsonObject { ["uuid"] = x.First.Uuid, ["status"] = "updated" }
                : new JsonObject
                {
                    ["uuid"] = x.First.Uuid,
                    ["status"] = "failed",
                    ["error"] = "no taskforce found with uuid",
                })).ToArray();
        var anyFailed = outcomes.Any(o => o != TmsOutcome.Applied);
        return WireResults.Json(new JsonObject { ["results"] = new JsonArray(results) },
            anyFailed ? StatusCodes.Status207MultiStatus : StatusCodes.Status200OK);
    }
}
