using Wms.Api.Auth;

namespace Wms.Api.Tests.Auth;

/// <summary>
/// The Roles column of CONTRACT.md §3, written out from the contract rather than read from the code, so that the
/// matrix compares the service against the contract and not against itself.
/// </summary>
public static class ContractRoles
{
    private static readonly WmsRole[] User = [WmsRole.User];
    private static readonly WmsRole[] UserAndTms = [WmsRole.User, WmsRole.Tms];
    private static readonly WmsRole[] Tms = [WmsRole.Tms];

    /// <summary>No role: anyone may call, without a token (<c>RoleRequirement.Anyone</c>).</summary>
    private static readonly WmsRole[] Anyone = [];

    /// <summary>
    /// Outside the contract, for anyone with or without a token: the interactive API reference (on unless
    /// WMS_API_DOCS=false) and the web view's pages and files (on unless WMS_UI=false), which hold no data: what they
    /// show, their scripts read from /v1 with the user's token.
    /// </summary>
    private static readonly Dictionary<string, WmsRole[]> Pages = new()
    {
        ["GET /ui/"] = Anyone,
        ["GET /ui/workflows/{workflow_id}"] = Anyone,
        ["GET /ui/assets/{name}"] = Anyone,
        ["GET /docs/{documentName?}"] = Anyone,
        ["GET /docs/scalar.js"] = Anyone,
        ["GET /docs/scalar.aspnetcore.js"] = Anyone,
        ["GET /docs/favicon.svg"] = Anyone,
        ["GET /docs/openapi/{documentName}.json"] = Anyone,
    };

    /// <summary>
    /// "METHOD route pattern" → the roles admitted (none: anyone); <c>/v1</c> admits the same roles (V1-DELTA §1).
    /// </summary>
    public static IReadOnlyDictionary<string, WmsRole[]> ByEndpoint { get; } = WithV1(new Dictionary<string, WmsRole[]>
    {
        ["GET /v0/"] = User,
        ["GET /v0/schema/{documentName}"] = UserAndTms,
        ["POST /v0/workflows"] = User,
        ["GET /v0/workflows/{workflow_id}"] = User,
        ["POST /v0/workflows/{workflow_id}/actions/abort"] = User,
        ["POST /v0/workflows/{workflow_id}/actions/finished"] = User,
        ["GET /v0/task-directives/{task_id}"] = User,
        ["POST /v0/task-directives/{task_id}/actions/add-workers"] = UserAndTms,
        ["GET /v0/taskforces/{taskforce_uuid}"] = UserAndTms,
        // An extension (issue 17): whoever may read the taskforce may read its status history.
        ["GET /v0/taskforces/{taskforce_uuid}/status-history"] = UserAndTms,
        // Extensions (issue 17): why a workflow's or a taskforce's work is where it is, for whoever may read it.
        ["GET /v0/workflows/{workflow_id}/explain"] = User,
        ["GET /v0/taskforces/{taskforce_uuid}/explain"] = UserAndTms,
        // An extension (issue 17): watching a workflow takes what reading it takes.
        ["GET /v0/workflows/{workflow_id}/events"] = User,
        ["GET /v0/mqs/workflows/{workflow_id}/mq-profiles/public"] = User,
        ["POST /v0/query/workflows"] = UserAndTms,
        ["POST /v0/query/task-directives"] = User,
        ["POST /v0/query/taskforces"] = UserAndTms,
        ["GET /v0/tms/pending-starter/taskforces"] = UserAndTms,
        ["POST /v0/tms/condor-submit/taskforces/{taskforce_uuid}"] = Tms,
        ["POST /v0/tms/condor-submit/taskforces/{taskforce_uuid}/failed"] = Tms,
        ["GET /v0/tms/pending-stopper/taskforces"] = UserAndTms,
        ["POST /v0/tms/condor-rm/taskforces/{taskforce_uuid}"] = Tms,
        ["POST /v0/tms/condor-rm/taskforces/{taskforce_uuid}/failed"] = Tms,
        ["POST /v0/tms/condor-complete/taskforces/{taskforce_uuid}"] = Tms,
        ["POST /v0/tms/statuses/taskforces"] = Tms,
        // Ours, outside both generations: an orchestrator's probes (Docs/operations.md, Health and shutdown).
        ["GET /healthz"] = Anyone,
        ["GET /readyz"] = Anyone,
        // And a Prometheus scraper's (Docs/operations.md, Metrics and traces).
        ["GET /metrics"] = Anyone,
    }).Concat(Pages).ToDictionary();

    private static Dictionary<string, WmsRole[]> WithV1(Dictionary<string, WmsRole[]> v0)
    {
        foreach (var (key, roles) in v0.ToList())
        {
            v0[key.Replace(" /v0/", " /v1/", StringComparison.Ordinal)
                .Replace("{documentName}", "openapi", StringComparison.Ordinal)] = roles;
        }
        return v0;
    }
}
