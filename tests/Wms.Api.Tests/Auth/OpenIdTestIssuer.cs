using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Wms.Api.Tests.Auth;

/// <summary>
/// A stand-in OpenID Connect issuer on loopback: a discovery document, a JWKS with one RSA public key, and a token
/// endpoint for client credentials, like Keycloak's realm endpoints. Tokens come from <see cref="Minter"/>, signed
/// with the matching private key; the token endpoint gives the client <see cref="TokenEndpoint.ClientId"/> a
/// <c>system-wms</c> token, as the MQS's realm gives the WMS.
/// </summary>
public sealed class OpenIdTestIssuer : IAsyncDisposable
{
    private const string Realm = "/realms/icecube-test";
    private readonly WebApplication _app;
    private int _discoveryReads;
    private int _keyReads;
    private int _tokensIssued;

    private OpenIdTestIssuer(WebApplication app, string issuer)
    {
        _app = app;
        IssuerUrl = issuer;
        Minter = TokenMinter.Rsa(issuer);
    }

    /// <summary>The issuer URL, as AUTH_OPENID_URL takes it (discovery is found under it).</summary>
    public string IssuerUrl { get; }

    public TokenMinter Minter { get; }

    public int DiscoveryReads => Volatile.Read(ref _discoveryReads);

    public int KeyReads => Volatile.Read(ref _keyReads);

    /// <summary>Tokens the token endpoint handed out.</summary>
    public int TokensIssued => Volatile.Read(ref _tokensIssued);

    /// <summary>The token endpoint the discovery document names.</summary>
    public string TokenEndpointUrl => IssuerUrl + "/protocol/openid-connect/token";

    /// <summary>While true, discovery and keys answer 503, as an issuer that is down or restarting.</summary>
    public bool Down { get; set; }

    public static async Task<OpenIdTestIssuer> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        OpenIdTestIssuer? issuer = null;
        app.MapGet(Realm + "/.well-known/openid-configuration", (HttpContext context) =>
        {
            Interlocked.Increment(ref issuer!._discoveryReads);
            if (issuer.Down)
            {
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }
            return Results.Text($$"""
                {"issuer": "{{issuer.IssuerUrl}}",
                 "jwks_uri": "{{issuer.IssuerUrl}}/protocol/openid-connect/certs",
                 "token_endpoint": "{{issuer.IssuerUrl}}/protocol/openid-connect/token",
                 "id_token_signing_alg_values_supported": ["RS256"]}
                """, "application/json");
        });
        app.MapGet(Realm + "/protocol/openid-connect/certs", () =>
        {
            Interlocked.Increment(ref issuer!._keyReads);
            return Results.Text(issuer.Minter.JwksJson(), "application/json");
        });
        app.MapPost(Realm + "/protocol/openid-connect/token", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            if (form["grant_type"] != "client_credentials" || form["client_id"] != TokenEndpoint.ClientId ||
                form["client_secret"] != TokenEndpoint.ClientSecret)
            {
                return Results.Json(new { error = "unauthorized_client" }, statusCode: StatusCodes.Status401Unauthorized);
            }
            Interlocked.Increment(ref issuer!._tokensIssued);
            var token = issuer.Minter.Mint("service-account-" + TokenEndpoint.ClientId,
                new Dictionary<string, object> { ["ewms_role"] = "system-wms", ["azp"] = TokenEndpoint.ClientId });
            return Results.Json(new { access_token = token, token_type = "Bearer", expires_in = 300 });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        issuer = new OpenIdTestIssuer(app, address.TrimEnd('/') + Realm);
        return issuer;
    }

    /// <summary>Settings that make a WMS ask this issuer for its MQS tokens, as the original service is configured.</summary>
    public void ConfigureMqsCredentials(Dictionary<string, string?> settings)
    {
        settings["MQS_TOKEN_URL"] = IssuerUrl;
        settings["MQS_CLIENT_ID"] = TokenEndpoint.ClientId;
        settings["MQS_CLIENT_SECRET"] = TokenEndpoint.ClientSecret;
    }

    /// <summary>Settings that make a WMS discover this issuer.</summary>
    public void Configure(Dictionary<string, string?> settings)
    {
        settings["AUTH_OPENID_URL"] = IssuerUrl;
        settings["AUTH_AUDIENCE"] = Minter.AudienceName;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
