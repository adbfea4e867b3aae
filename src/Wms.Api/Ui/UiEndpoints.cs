using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wms.Api.Auth;
using Wms.Api.Errors;
using Wms.Api.Security;

namespace Wms.Api.Ui;

/// <summary>
/// The web view at <c>/ui</c>: a read-only look at workflows for people, made of static pages whose scripts call
/// <c>/v1</c> with the token the user gives them. The pages and their files hold no data, so they load without a token;
/// the data they show is asked for, and admitted, as any other call to the API.
/// </summary>
public static class UiEndpoints
{
    public const string Prefix = "/ui";

    public const string ListPage = "list.html";

    public const string WorkflowPage = "workflow.html";

    public static void MapWebView(this IEndpointRouteBuilder routes)
    {
        var assets = UiAssets.Embedded;
        var list = assets.Require(ListPage);
        var workflow = assets.Require(WorkflowPage);
        var ui = routes.MapGroup(Prefix);
        // One route for /ui and /ui/: routing takes a trailing slash as optional.
        ui.MapGet("/", () => new UiAssetResult(list));
        // The page reads the id from its own address, so any id gets the page, which then says what it found.
        ui.MapGet("/workflows/{workflow_id}", () => new UiAssetResult(workflow));
        ui.MapGet("/assets/{name}", (string name) => assets.Find(name) is { } asset
            ? (IResult)new UiAssetResult(asset)
            : ApiError.NotFound($"no web view file named {name}"));
        ui.AllowAnyCaller().ServedAsRevalidatedBrowserPage().ExcludeFromDescription();
    }
}
