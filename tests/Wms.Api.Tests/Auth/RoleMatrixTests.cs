using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Wms.Api.Auth;
using Wms.Api.Tests.Infrastructure;
using Wms.Api.Ui;

namespace Wms.Api.Tests.Auth;

/// <summary>
/// Every endpoint the running app serves × every kind of caller gets exactly the answer CONTRACT.md §3 and §5 give:
/// bad tokens 403 "authentication failed", good tokens without an admitted role 403 "authorization failed", and
/// admitted callers whatever the handler says (never 403, never 5xx). Run against each way keys can be configured.
/// </summary>
public sealed class RoleMatrixTests
{
    /// <summary>A kind of caller: its bearer token (null: none sent) and the roles it should be granted (null: refused).</summary>
    private sealed record Caller(string Name, string? Authorization, WmsRole[]? Roles);

    private static List<Caller> Callers(TokenMinter minter) =>
    [
        new("no token", null, null),
        new("malformed", "Bearer not-a-jwt", null),
        new("malformed, three parts", "Bearer aaa.bbb.ccc", null),
        new("not bearer", "Basic YWxpY2U6cGFzc3dvcmQ=", null),
        new("wrong signature", "Bearer " + minter.WrongSignature(), null),
        new("tampered claims", "Bearer " + minter.Tampered(), null),
        new("unsigned (alg none)", "Bearer " + minter.Unsigned(), null),
        new("expired", "Bearer " + minter.Expired(), null),
        new("not yet valid", "Bearer " + minter.NotYetValid(), null),
        new("wrong audience", "Bearer " + minter.WrongAudience(), null),
        new("wrong issuer", "Bearer " + minter.WrongIssuer(), null),
        new("valid, no role", "Bearer " + minter.NoRole(), []),
        new("user (IceCube group)", "Bearer " + minter.User(), [WmsRole.User]),
        new("user (ewms-dev group)", "Bearer " + minter.UserByDevGroup(), [WmsRole.User]),
        new("user (ewms_role)", "Bearer " + minter.UserByRole(), [WmsRole.User]),
        new("system-tms", "Bearer " + minter.Tms(), [WmsRole.Tms]),
    ];

    [Fact]
    public async Task StaticSigningKey()
    {
        var minter = TokenMinter.Symmetric();
        await using var server = await WmsServer.StartAsync(minter.Configure);
        await AssertMatrixAsync(server, minter);
    }

    [Fact]
    public async Task OpenIdDiscoveryFromALocalIssuer()
    {
        await using var issuer = await OpenIdTestIssuer.StartAsync();
        await using var server = await WmsServer.StartAsync(issuer.Configure);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await AssertMatrixAsync(server, issuer.Minter);
        // The keys really came from the issuer's discovery document, and were kept: a token signed by an unknown key
        // may make the service look again, but at most once per refresh interval (2 s), not once per request.
        var most = 2 + (int)(clock.Elapsed.TotalSeconds / 2);
        Assert.InRange(issuer.DiscoveryReads, 1, most);
        Assert.InRange(issuer.KeyReads, 1, most);
    }

    [Fact]
    public async Task JwksFile()
    {
        var minter = TokenMinter.Rsa(TokenMinter.StaticIssuer);
        var file = Path.Combine(Path.GetTempPath(), $"wms-jwks-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, minter.JwksJson());
        try
        {
            await using var server = await WmsServer.StartAsync(s =>
            {
                s["AUTH_JWKS_FILE"] = file;
                s["AUTH_ISSUER"] = minter.Issuer;
                s["AUTH_AUDIENCE"] = minter.AudienceName;
            });
            await AssertMatrixAsync(server, minter);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task EveryEndpointHasTheContractsRoleRule()
    {
        await using var server = await WmsServer.StartAsync();
        var endpoints = AppEndpoint.Of(server.Services);
        Assert.Equal(ContractRoles.ByEndpoint.Keys.Order(StringComparer.Ordinal), endpoints.Select(e => e.Key));
        foreach (var endpoint in endpoints)
        {
            Assert.True(endpoint.Roles is not null, $"{endpoint.Key} has no role rule");
            Assert.Equal(ContractRoles.ByEndpoint[endpoint.Key].Order(), endpoint.Roles!.Roles.Order());
        }
    }

    [Fact]
    public async Task AnEndpointWithoutARoleRuleStopsTheStart()
    {
        var builder = WebApplication.CreateSlimBuilder();
        await using var app = builder.Build();
        app.MapGet("/v0/ok", () => "ok").RequireWmsRoles(WmsRole.User);
        app.MapPost("/v0/forgotten", () => "oops");
        var e = Assert.Throws<InvalidOperationException>(() => RoleRequirements.EnsureEveryEndpointHasRoles(app));
        Assert.Contains("/v0/forgotten", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/v0/ok", e.Message, StringComparison.Ordinal);
    }

    private static async Task AssertMatrixAsync(WmsServer server, TokenMinter minter)
    {
        var endpoints = AppEndpoint.Of(server.Services);
        Assert.True(endpoints.Count >= ContractRoles.ByEndpoint.Count, $"only {endpoints.Count} endpoints found");
        var failures = new List<string>();
        var checkedCount = 0;
        var callers = Callers(minter);
        foreach (var endpoint in endpoints)
        {
            // An endpoint the contract does not list is itself a failure: someone must decide who may call it.
            if (!ContractRoles.ByEndpoint.TryGetValue(endpoint.Key, out var admitted))
            {
                failures.Add($"{endpoint.Key}: not in the contract's role table");
                continue;
            }
            foreach (var caller in callers)
            {
                using var request = endpoint.Request();
                if (caller.Authorization is { } authorization)
                {
                    request.Headers.TryAddWithoutValidation("Authorization", authorization);
                }
                using var response = await server.Http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                var expected = caller.Roles switch
                {
                    // An endpoint open to anyone looks at no token, good or bad.
                    _ when admitted.Length == 0 => null,
                    null => WmsAuthentication.AuthenticationFailed,
                    var held when !held.Intersect(admitted).Any() => WmsAuthentication.AuthorizationFailed,
                    _ => null,
                };
                var problem = expected is not null
                    ? Answers.ContractErrorProblem(response, text, StatusCodes.Status403Forbidden, expected)
                    : (int)response.StatusCode is StatusCodes.Status403Forbidden or >= 500
                        ? $"admitted, but answered {(int)response.StatusCode}: {Answers.Clip(text)}"
                        : null;
                problem ??= Answers.SecurityHeadersProblem(response,
                    revalidatedAsset: endpoint.Pattern.StartsWith(UiEndpoints.Prefix + "/", StringComparison.Ordinal));
                if (problem is not null)
                {
                    failures.Add($"{endpoint.Key} as {caller.Name}: {problem}");
                }
                checkedCount++;
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {checkedCount} cases failed:\n" + string.Join("\n", failures));
        Assert.Equal(ContractRoles.ByEndpoint.Count * callers.Count, checkedCount);
    }
}
