using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wms.Api.Auth;
using Wms.Api.Responses;
using Wms.Api.Wire;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Mqs;

namespace Wms.Api.Endpoints;

/// <summary>
/// The MQS's public-profile read, answered here so one box serves the whole user story. The MQS admits only users
/// to it, so the user's own token is passed on, as the ingress in front of the real MQS would.
/// </summary>
public static class MqsEndpoints
{
    public static void MapMqsEndpoints(this IEndpointRouteBuilder routes, ApiGeneration generation) =>
        routes.MapGet(generation.Prefix() + "/mqs/workflows/{workflow_id}/mq-profiles/public",
                async (string workflow_id, HttpContext context, IMqsClient mqs, CancellationToken cancel) =>
                    // Something that cannot be a workflow id is an unknown workflow: no need to ask the MQS.
                    WireResults.Of(Ids.IsWorkflowId(workflow_id)
                        ? await mqs.GetPublicProfilesAsync(workflow_id, context.CallerToken(), cancel)
                        : PublicMqProfiles.None))
            .For(generation, "PublicMqProfiles")
            .Describe<MqProfilesBody>("mqs", "Public queue profiles of a workflow, from the MQS (extension)", 503)
            .RequireWmsRoles(WmsRole.User);
}
