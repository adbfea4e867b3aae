using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Wms.Api.Tests.Auth;

/// <summary>
/// A stand-in OpenID Connect issuer on loopback: a discovery document and a JWKS with one RSA public key, like
/// Keycloak's realm endpoints. Tokens come from <see cref="Minter"/>, signed with the matching private key.
/// </summary>
public sealed class OpenIdTestIssuer : IAsyncDisposable
{
    private const string Realm = "/realms/icecube-test";
    private readonly WebApplication _app;
    private int _discoveryReads;
    private int _keyReads;

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
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        issuer = new OpenIdTestIssuer(app, address.TrimEnd('/') + Realm);
        return issuer;
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
