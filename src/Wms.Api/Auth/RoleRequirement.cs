using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wms.Api.Wire;

namespace Wms.Api.Auth;

/// <summary>
/// Endpoint metadata: the roles that may call the endpoint. Every endpoint carries one; the authorization
/// middleware refuses an endpoint without it, and start-up refuses to run with one (<see cref="RoleRequirements"/>).
/// </summary>
public sealed class RoleRequirement(IReadOnlyCollection<WmsRole> roles)
{
    /// <summary>
    /// Anyone may call, with no token checked: probes and pages an orchestrator or a browser reaches before anyone
    /// has signed in (health, metrics, the API reference).
    /// </summary>
    public static RoleRequirement Anyone { get; } = new([]);

    public IReadOnlySet<WmsRole> Roles { get; } = roles.ToHashSet();

    public bool IsPublic => Roles.Count == 0;

    public bool Admits(IReadOnlySet<WmsRole> held) => IsPublic || Roles.Overlaps(held);

    public override string ToString() => IsPublic ? "anyone" : string.Join(", ", Roles.Order().Select(r => r.Name()));
}

public static class RoleRequirements
{
    /// <summary>Admits callers holding any of <paramref name="roles"/>; documents the 403 it can answer.</summary>
    public static TBuilder RequireWmsRoles<TBuilder>(this TBuilder endpoint, params WmsRole[] roles)
        where TBuilder : IEndpointConventionBuilder
    {
        if (roles.Length == 0)
        {
            throw new ArgumentException("an endpoint must admit at least one role", nameof(roles));
        }
        endpoint.Add(b =>
        {
            b.Metadata.Add(new RoleRequirement(roles));
            b.Metadata.Add(new ProducesResponseTypeMetadata(
                StatusCodes.Status403Forbidden, typeof(ErrorBody), ["application/json"]));
        });
        return endpoint;
    }

    /// <summary>Admits every caller without looking for a token (<see cref="RoleRequirement.Anyone"/>).</summary>
    public static TBuilder AllowAnyCaller<TBuilder>(this TBuilder endpoint)
        where TBuilder : IEndpointConventionBuilder
    {
        endpoint.Add(b => b.Metadata.Add(RoleRequirement.Anyone));
        return endpoint;
    }

    /// <summary>
    /// Throws when a mapped route has no role rule: a new endpoint must say who may call it before the service
    /// starts at all, rather than be refused (or worse) at run time.
    /// </summary>
    public static void EnsureEveryEndpointHasRoles(IEndpointRouteBuilder routes)
    {
        var missing = routes.DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<RoleRequirement>() is null)
            .Select(e => e.RoutePattern.RawText ?? e.DisplayName ?? "?")
            .ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"these endpoints have no role rule (add .RequireWmsRoles(...) where they are mapped): {string.Join(", ", missing)}");
        }
    }
}
