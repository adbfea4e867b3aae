using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Wms.Api.Auth;
using Wms.Silo;
using Wms.Silo.Configuration;

namespace Wms.Api.Tests.Auth;

/// <summary>Authentication is off only on purpose: what each configuration decides, and what the service says.</summary>
public sealed class StartupRulesTests
{
    private static readonly string Secret = Convert.ToBase64String(new byte[32]);

    private static AuthState Resolve(params (string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        return HostSettings.Read(configuration, UpstreamSettings.AddTo(configuration)).AuthState;
    }

    [Fact]
    public void PostgresWithoutAuthConfigurationRefusesToStart()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Resolve(("WMS_STORAGE", "postgres")));
        Assert.Contains("Authentication is not configured", e.Message, StringComparison.Ordinal);
        Assert.Contains("AUTH_OPENID_URL", e.Message, StringComparison.Ordinal);
        Assert.Contains("WMS_AUTH_DISABLED=true", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostgresWithoutAuthFailsBeforeTouchingTheDatabase()
    {
        // The connection string points nowhere: the auth rule must fail first, with its own message.
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => WmsHost.BuildAsync([], b =>
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["WMS_STORAGE"] = "postgres",
                ["WMS_POSTGRES"] = "Host=127.0.0.1;Port=1;Username=nobody;Database=none;Timeout=1",
            })));
        Assert.Contains("Authentication is not configured", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PostgresWithAuthExplicitlyDisabledStartsWithoutIt()
    {
        var state = Resolve(("WMS_STORAGE", "postgres"), ("WMS_POSTGRES", "Host=db"), ("WMS_AUTH_DISABLED", "true"));
        Assert.False(state.Enabled);
        Assert.Contains("WMS_AUTH_DISABLED", state.OffReason, StringComparison.Ordinal);
    }

    [Fact]
    public void PostgresWithAuthConfiguredTurnsItOn()
    {
        var state = Resolve(("WMS_STORAGE", "postgres"), ("WMS_POSTGRES", "Host=db"),
            ("AUTH_OPENID_URL", "https://keycloak.example/auth/realms/IceCube"), ("AUTH_AUDIENCE", "ewms"));
        Assert.True(state.Enabled);
    }

    [Fact]
    public void MemoryWithoutAuthConfigurationIsTheDevelopmentDefault()
    {
        var state = Resolve();
        Assert.False(state.Enabled);
        Assert.Contains("no authentication is configured", state.OffReason, StringComparison.Ordinal);
    }

    [Fact]
    public void MemoryWithAuthConfiguredTurnsItOn() =>
        Assert.True(Resolve(("AUTH_SIGNING_KEY", Secret), ("AUTH_ISSUER", "https://i.test"), ("AUTH_AUDIENCE", "a")).Enabled);

    [Fact]
    public void NoAudienceMeansTokensForAnyAudienceAsUpstream()
    {
        Assert.True(Resolve(("AUTH_OPENID_URL", "https://keycloak.example/auth/realms/IceCube")).Enabled);
        Assert.True(Resolve(("AUTH_SIGNING_KEY", Secret), ("AUTH_ISSUER", "https://i.test")).Enabled);
    }

    [Fact]
    public void DisabledWinsOverConfiguration() =>
        Assert.False(Resolve(("WMS_AUTH_DISABLED", "TRUE"), ("AUTH_OPENID_URL", "https://k.example/realm"),
            ("AUTH_AUDIENCE", "ewms")).Enabled);

    [Theory]
    [InlineData("AUTH_AUDIENCE", "ewms", null, null, "no keys to check tokens with")]
    [InlineData("AUTH_SIGNING_KEY", "c2hvcnQ=", "AUTH_AUDIENCE", "ewms", "AUTH_ISSUER is required")]
    [InlineData("AUTH_OPENID_URL", "http://keycloak.example/realm", "AUTH_AUDIENCE", "ewms", "must use https")]
    [InlineData("AUTH_OPENID_URL", "not a url", "AUTH_AUDIENCE", "ewms", "absolute http(s) URL")]
    [InlineData("AUTH_JWKS_FILE", "/nonexistent/jwks.json", "AUTH_AUDIENCE", "ewms", "AUTH_ISSUER is required")]
    public void IncompleteConfigurationRefusesToStart(string key1, string value1, string? key2, string? value2, string problem)
    {
        var settings = new List<(string, string?)> { (key1, value1) };
        if (key2 is not null)
        {
            settings.Add((key2, value2));
        }
        var e = Assert.Throws<InvalidOperationException>(() => Resolve([.. settings]));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AUTH_SIGNING_KEY", "c2hvcnQ=", "at least 256 bits")]
    [InlineData("AUTH_SIGNING_KEY", "*** not base64 ***", "must be base64")]
    [InlineData("AUTH_JWKS_FILE", "/nonexistent/jwks.json", "cannot be read")]
    public void BadKeysRefuseToStart(string key, string value, string problem)
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            Resolve((key, value), ("AUTH_ISSUER", "https://i.test"), ("AUTH_AUDIENCE", "ewms")));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidRolePatternRefusesToStart()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Resolve(("AUTH_SIGNING_KEY", Secret),
            ("AUTH_ISSUER", "https://i.test"), ("AUTH_AUDIENCE", "a"),
            ("Auth:UserRules:0:Claim", "groups"), ("Auth:UserRules:0:Pattern", "([unclosed")));
        Assert.Contains("invalid pattern", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MemoryModeWithoutAuthSaysSoLoudly()
    {
        await using var host = await LoggedHost.StartAsync(start: false);
        var warning = Assert.Single(host.Logs.Lines, l => l.Message.Contains("AUTHENTICATION IS OFF", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("no authentication is configured", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplicitlyDisabledSaysSoLoudly()
    {
        await using var host = await LoggedHost.StartAsync(s => s["WMS_AUTH_DISABLED"] = "true", start: false);
        var warning = Assert.Single(host.Logs.Lines, l => l.Message.Contains("AUTHENTICATION IS OFF", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("WMS_AUTH_DISABLED=true", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthOnSaysWhereKeysComeFromAndWarnsNothing()
    {
        var minter = TokenMinter.Symmetric();
        await using var host = await LoggedHost.StartAsync(minter.Configure, start: false);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Message.Contains("AUTHENTICATION IS OFF", StringComparison.Ordinal));
        Assert.Contains(host.Logs.Lines, l => l.Message.Contains("Authentication is on", StringComparison.Ordinal));
        Assert.Empty(host.Logs.Containing(minter.SecretBase64!));
    }

    [Fact]
    public void ClaimRulesAreConfigurable()
    {
        var options = new WmsAuthOptions
        {
            UserRules = [new ClaimRule { Claim = "realm_roles", Pattern = "^ewms-user$" }],
        };
        var rules = new RoleRules(options);
        var principal = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
        [
            new System.Security.Claims.Claim("realm_roles", "ewms-user"),
            new System.Security.Claims.Claim("groups", "/institutions/IceCube"),
        ], "test"));
        // The configured rule replaces the defaults: the IceCube group alone no longer makes a user.
        Assert.Equal([WmsRole.User], rules.RolesOf(principal));
        var groupOnly = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim("groups", "/institutions/IceCube")], "test"));
        Assert.Empty(rules.RolesOf(groupOnly));
    }
}
