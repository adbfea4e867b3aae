using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Wms.Api.Errors;

namespace Wms.Api.Auth;

/// <summary>
/// Bearer-JWT authentication and the per-endpoint role check. The JWT handler only validates tokens: it is asked
/// directly, never through a challenge, so every refusal is the contract's 403 body and never the handler's 401.
/// </summary>
public static partial class WmsAuthentication
{
    public const string AuthenticationFailed = "authentication failed";
    public const string AuthorizationFailed = "authorization failed";
    public const string IssuerUnavailable = "the token issuer (AUTH_OPENID_URL) could not be reached to check the token; try again";

    /// <summary>Longest subject kept in logs and phase change descriptions.</summary>
    public const int MaxSubjectLength = 128;

    public static IServiceCollection AddWmsAuthentication(
        this IServiceCollection services, WmsAuthOptions options, AuthState state)
    {
        services.AddSingleton(state);
        services.AddSingleton(options);
        if (!state.Enabled)
        {
            return services;
        }
        services.AddSingleton(new RoleRules(options));
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            // Claims keep their names as in the token (sub, groups, ewms_role), as the role rules name them.
            jwt.MapInboundClaims = false;
            jwt.SaveToken = false;
            jwt.IncludeErrorDetails = false;
            if (!string.IsNullOrWhiteSpace(options.OpenIdUrl))
            {
                var metadata = options.MetadataAddress();
                jwt.MetadataAddress = metadata.AbsoluteUri;
                jwt.RequireHttpsMetadata = metadata.Scheme == "https";
                // A failed discovery is tried again after this long, not after the default five minutes.
                jwt.RefreshInterval = TimeSpan.FromSeconds(2);
            }
            var staticKeys = options.StaticKeys();
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                // With discovery and no AUTH_ISSUER, the handler takes the issuer from the discovery document.
                ValidIssuer = string.IsNullOrWhiteSpace(options.Issuer) ? null : options.Issuer.Trim(),
                ValidateAudience = options.ChecksAudience,
                ValidAudience = options.ChecksAudience ? options.Audience!.Trim() : null,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ValidateIssuerSigningKey = true,
                IssuerSigningKeys = staticKeys.Count > 0 ? staticKeys : null,
                // As the original service allows: clocks of the issuer, the TMS hosts and this one drift apart.
                ClockSkew = TimeSpan.FromSeconds(60),
            };
        });
        return services;
    }

    /// <summary>Checks the caller of every routed request against its endpoint's <see cref="RoleRequirement"/>.</summary>
    public static IApplicationBuilder UseWmsAuthorization(this IApplicationBuilder app) =>
        app.UseMiddleware<RoleCheckMiddleware>();

    /// <summary>The authenticated subject of this request; null when authentication is off.</summary>
    public static string? CallerSubject(this HttpContext context) => context.Features.Get<WmsCaller>()?.Subject;

    /// <summary>
    /// Whether the caller acts as the TMS: it holds that role and not the user's. False when authentication is off.
    /// </summary>
    public static bool CallerIsTms(this HttpContext context) =>
        context.Features.Get<WmsCaller>() is { } caller &&
        caller.Roles.Contains(WmsRole.Tms) && !caller.Roles.Contains(WmsRole.User);

    /// <summary>
    /// The bearer token this request was admitted with, for a service that judges the caller itself (the MQS admits
    /// only users to its public-profile read); null when authentication is off. Read as the JWT handler reads it.
    /// </summary>
    public static string? CallerToken(this HttpContext context)
    {
        const string scheme = "Bearer ";
        var authorization = context.Request.Headers.Authorization.ToString();
        return context.Features.Get<WmsCaller>() is not null &&
            authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) &&
            authorization[scheme.Length..].Trim() is { Length: > 0 } token
                ? token
                : null;
    }

    /// <summary>
    /// The token's subject made safe for logs and descriptions: printable, and not unboundedly long. Tokens without
    /// <c>sub</c> (some service accounts) fall back to their client's name.
    /// </summary>
    public static string SubjectOf(ClaimsPrincipal principal)
    {
        var raw = principal.FindFirst("sub")?.Value ?? principal.FindFirst("preferred_username")?.Value
            ?? principal.FindFirst("azp")?.Value ?? principal.FindFirst("client_id")?.Value;
        if (string.IsNullOrWhiteSpace(raw))
        {
            return "(no subject)";
        }
        var text = new StringBuilder(Math.Min(raw.Length, MaxSubjectLength));
        foreach (var c in raw.AsSpan(0, Math.Min(raw.Length, MaxSubjectLength)))
        {
            text.Append(char.IsControl(c) ? '?' : c);
        }
        return text.ToString();
    }

    /// <summary>
    /// Why the issuer's discovery document or keys cannot be read, when they cannot: a refused token is then no
    /// judgement on the token. Asked only after a refusal; the handler's configuration manager tries discovery
    /// again no more often than its refresh interval.
    /// </summary>
    private static async Task<Exception?> IssuerUnreachableAsync(HttpContext context)
    {
        var jwt = context.RequestServices.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>()
            .Get(JwtBearerDefaults.AuthenticationScheme);
        if (jwt.ConfigurationManager is not { } configuration)
        {
            return null;
        }
        try
        {
            await configuration.GetConfigurationAsync(context.RequestAborted);
            return null;
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            return e;
        }
    }

    private sealed partial class RoleCheckMiddleware(RequestDelegate next, AuthState state, ILogger<RoleCheckMiddleware> log)
    {
        public async Task InvokeAsync(HttpContext context)
        {
            // Requests routed nowhere (404) or to the framework's 405 answer reach no handler; let them through.
            if (!state.Enabled || context.GetEndpoint() is not RouteEndpoint endpoint)
            {
                await next(context);
                return;
            }
            if (endpoint.Metadata.GetMetadata<RoleRequirement>() is not { } required)
            {
                // Fail closed: start-up refuses this, but should one slip through, nobody may call it.
                LogNoRoleRule(endpoint.RoutePattern.RawText);
                await ApiError.WriteAsync(context.Response, StatusCodes.Status403Forbidden, AuthorizationFailed);
                return;
            }
            if (required.IsPublic)
            {
                await next(context);
                return;
            }
            var result = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
            if (result.Failure is not null && await IssuerUnreachableAsync(context) is { } unreachable)
            {
                // Not the caller's fault: the token could not be checked at all. Says so, and that a retry may pass.
                LogIssuerUnreachable(unreachable);
                context.Response.Headers.RetryAfter = "5";
                await ApiError.WriteAsync(context.Response, StatusCodes.Status503ServiceUnavailable, IssuerUnavailable);
                return;
            }
            if (!result.Succeeded || result.Principal is null)
            {
                if (result.Failure is { } refused && log.IsEnabled(LogLevel.Debug))
                {
                    var type = refused.GetType().Name;
                    LogTokenRefused(type, refused.Message);
                }
                await ApiError.WriteAsync(context.Response, StatusCodes.Status403Forbidden, AuthenticationFailed);
                return;
            }
            var roles = context.RequestServices.GetRequiredService<RoleRules>().RolesOf(result.Principal);
            if (!required.Admits(roles))
            {
                await ApiError.WriteAsync(context.Response, StatusCodes.Status403Forbidden, AuthorizationFailed);
                return;
            }
            context.User = result.Principal;
            context.Features.Set(new WmsCaller(SubjectOf(result.Principal), roles));
            await next(context);
        }

        [LoggerMessage(Level = LogLevel.Error, Message = "Endpoint {Route} has no role rule; refusing every caller")]
        private partial void LogNoRoleRule(string? route);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The token issuer's discovery document or keys could not be read")]
        private partial void LogIssuerUnreachable(Exception error);

        [LoggerMessage(Level = LogLevel.Debug, Message = "A bearer token was refused: {Type}: {Reason}")]
        private partial void LogTokenRefused(string type, string reason);
    }
}

/// <summary>The authenticated caller of a request, as a request feature.</summary>
public sealed record WmsCaller(string Subject, IReadOnlySet<WmsRole> Roles);
