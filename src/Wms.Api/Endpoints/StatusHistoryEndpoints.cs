using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wms.Api.Auth;
using Wms.Api.Errors;
using Wms.Api.Responses;
using Wms.Api.Wire;
using Wms.Domain.Index;
using Wms.Domain.Model;

namespace Wms.Api.Endpoints;

/// <summary>
/// Reading a taskforce's status history, an extension: what the TMS reported of it over time, where the taskforce
/// itself shows only the latest report.
/// </summary>
public static class StatusHistoryEndpoints
{
    public static void MapStatusHistoryEndpoints(this IEndpointRouteBuilder routes, ApiGeneration generation) =>
        routes.MapGet(generation.Prefix() + "/taskforces/{taskforce_uuid}/status-history",
                (string taskforce_uuid, IObjectIndex index, IStatusHistory history, CancellationToken cancel) =>
                    GetAsync(taskforce_uuid, index, history, cancel))
            .For(generation, "GetTaskforceStatusHistory")
            .Describe<StatusHistoryBody>("taskforces",
                "A taskforce's past compound statuses and top task errors, oldest first (extension); empty when the "
                + "service keeps no history (WMS_STATUS_HISTORY=false)", 404)
            .RequireWmsRoles(WmsRole.User, WmsRole.Tms);

    /// <remarks>
    /// The taskforce is looked up first, as reading it would: an unknown one is a 404 whether or not history is kept,
    /// and a known one without history (none reported yet, or history off) answers an empty list.
    /// </remarks>
    private static async Task<IResult> GetAsync(
        string taskforceUuid, IObjectIndex index, IStatusHistory history, CancellationToken cancel)
    {
        if (!Ids.IsTaskforceUuid(taskforceUuid)
            || await index.GetJsonAsync(ObjectKind.Taskforce, taskforceUuid, cancel) is null)
        {
            return ApiError.NotFound($"no taskforce found with uuid: {taskforceUuid}");
        }
        var entries = await history.ReadAsync(taskforceUuid, cancel);
        var list = new JsonArray();
        foreach (var entry in entries)
        {
            var compound = new JsonObject();
            foreach (var (status, counts) in entry.CompoundStatuses)
            {
                compound[status] = Counts(counts);
            }
            list.Add(new JsonObject
            {
                ["timestamp"] = entry.Timestamp,
                ["compound_statuses"] = compound,
                ["top_task_errors"] = Counts(entry.TopTaskErrors),
            });
        }
        return WireResults.Json(new JsonObject { ["taskforce_uuid"] = taskforceUuid, ["history"] = list });
    }

    private static JsonObject Counts(IReadOnlyDictionary<string, long> counts)
    {
        var json = new JsonObject();
        foreach (var (name, count) in counts)
        {
            json[name] = count;
        }
        return json;
    }
}
