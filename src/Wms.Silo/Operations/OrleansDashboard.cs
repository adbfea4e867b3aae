using Orleans.Dashboard;
using Wms.Api.Auth;
using Wms.Api.Security;

namespace Wms.Silo.Operations;

/// <summary>
/// Microsoft's Orleans dashboard at <c>/dashboard</c>: the silos, the grain types and their activations, calls and
/// latencies. For users (role <c>user</c>) like <c>/v0</c>, since it shows what the service is doing and reads grains'
/// state.
/// </summary>
public static class OrleansDashboard
{
    public const string Prefix = "/dashboard";

    /// <summary>
    /// Refreshing the silos' statistics asks the cluster's management grain, every this many milliseconds whether
    /// anyone watches or not; five seconds is fine enough for a person and costs a fifth of the default second.
    /// </summary>
    public const int CounterUpdateMilliseconds = 5000;

    /// <summary>
    /// Adds the dashboard's services to the silo. Its grain call filter then sits in front of every grain call; it
    /// times calls only while someone looks at the dashboard, and for a minute after.
    /// </summary>
    public static ISiloBuilder AddWmsDashboard(this ISiloBuilder silo)
    {
        silo.AddDashboard(o =>
        {
            o.CounterUpdateIntervalMs = CounterUpdateMilliseconds;
            // The live log stream would show every user the service's log (who did what) and hold a request open
            // for an hour; operators read the log where it is collected.
            o.HideTrace = true;
        });
        silo.Services.Configure<GrainProfilerOptions>(o =>
        {
            // Timing every call all the time costs on every call; only while the dashboard is open is it worth it.
            o.TraceAlways = false;
            o.DeactivationTime = TimeSpan.FromMinutes(1);
        });
        return silo;
    }

    /// <summary>
    /// Maps the page, its assets and its data API, every one behind the <c>user</c> role. None is an endpoint of the
    /// API: they stay out of the OpenAPI documents.
    /// </summary>
    public static void MapWmsDashboard(this IEndpointRouteBuilder routes) =>
        routes.MapOrleansDashboard(Prefix).RequireWmsRoles(WmsRole.User).ServedAsBrowserPage().ExcludeFromDescription();
}
