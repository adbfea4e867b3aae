using Wms.Api.Endpoints;
using Wms.Api.Ui;
using Wms.Silo.Configuration;

namespace Wms.Silo.Operations;

/// <summary>
/// The pages for people beside the API, each on or off by its setting: the Orleans dashboard (<c>WMS_DASHBOARD</c>,
/// off unless turned on), the interactive API reference (<c>WMS_API_DOCS</c>, on unless turned off) and the web view
/// of workflows (<c>WMS_UI</c>, on unless turned off).
/// </summary>
public static class OperatorPages
{
    /// <summary>
    /// Registers what the pages that are on need in the silo. A dashboard that is off is not registered at all: its
    /// grain call filter and statistics timers would cost even with nobody looking.
    /// </summary>
    public static ISiloBuilder AddOperatorPages(this ISiloBuilder silo, OperationsOptions operations) =>
        operations.Dashboard ? silo.AddWmsDashboard() : silo;

    public static void MapOperatorPages(this IEndpointRouteBuilder routes, OperationsOptions operations)
    {
        if (operations.Dashboard)
        {
            routes.MapWmsDashboard();
        }
        if (operations.ApiDocs)
        {
            routes.MapApiReference();
        }
        if (operations.Ui)
        {
            routes.MapWebView();
        }
    }
}
