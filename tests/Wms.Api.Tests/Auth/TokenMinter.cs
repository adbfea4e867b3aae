using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Wms.Api.Tests.Auth;

/// <summary>Signs test JWTs for one issuer and audience with one key, and makes every kind of bad token.</summary>
public sealed class TokenMinter(SigningCredentials credentials, string issuer, string audience)
{
    public const string Audience = "ewms-wms-test";
    public const string StaticIssuer = "https://issuer.test/auth/realms/IceCube";

    private static readonly JsonWebTokenHandler Handler = new();

    public string Issuer { get; } = issuer;

    public string AudienceName { get; } = audience;

    /// <summary>A minter with a fresh 256-bit HMAC secret; <see cref="SecretBase64"/> goes to AUTH_SIGNING_KEY.</summary>
    public static TokenMinter Symmetric(string issuer = StaticIssuer, string audience = Audience)
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        return new TokenMinter(
            new SigningCredentials(new SymmetricSecurityKey(secret), SecurityAlgorithms.HmacSha256), issuer, audience)
        {
            SecretBase64 = Convert.ToBase64String(secret),
        };
    }

    /// <summary>A minter signing with an RSA private key whose public half a JWKS can publish.</summary>
    public static TokenMinter Rsa(string issuer, string audience = Audience, string keyId = "test-rsa-1")
    {
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = keyId };
        return new TokenMinter(new SigningCredentials(key, SecurityAlgorithms.RsaSha256), issuer, audience);
    }

    public string? SecretBase64 { get; private init; }

    public SigningCredentials Credentials { get; } = credentials;

    /// <summary>The public key set of an RSA minter, as an issuer's jwks_uri serves it.</summary>
    public string JwksJson()
    {
        var rsa = (RsaSecurityKey)Credentials.Key;
        var parameters = rsa.Rsa.ExportParameters(false);
        return $$"""
            {"keys": [{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": "{{rsa.KeyId}}",
              "n": "{{Base64UrlEncoder.Encode(parameters.Modulus)}}", "e": "{{Base64UrlEncoder.Encode(parameters.Exponent)}}"}]}
            """;
    }

    /// <summary>Settings that point a WMS at this minter's key (static key or JWKS file) and audience.</summary>
    public void Configure(Dictionary<string, string?> settings)
    {
        settings["AUTH_ISSUER"] = Issuer;
        settings["AUTH_AUDIENCE"] = AudienceName;
        settings["AUTH_SIGNING_KEY"] = SecretBase64 ?? throw new InvalidOperationException("not a symmetric minter");
    }

    public string User(string subject = "alice") =>
        Mint(subject, new Dictionary<string, object> { ["groups"] = new[] { "/institutions/IceCube/UW-Madison", "/other" } });

    public string UserByDevGroup(string subject = "dev") =>
        Mint(subject, new Dictionary<string, object> { ["groups"] = new[] { "/tokens/ewms-dev" } });

    public string UserByRole(string subject = "scripted") =>
        Mint(subject, new Dictionary<string, object> { ["ewms_role"] = "user" });

    public string Tms(string subject = "tms-sub-2") =>
        Mint(subject, new Dictionary<string, object> { ["ewms_role"] = "system-tms" });

    /// <summary>A caller holding both roles, to reach every endpoint.</summary>
    public string Both(string subject = "operator") => Mint(subject, new Dictionary<string, object>
    {
        ["groups"] = new[] { "/institutions/IceCube" },
        ["ewms_role"] = "system-tms",
    });

    /// <summary>Validly signed, but no claim gives a role.</summary>
    public string NoRole(string subject = "mallory") => Mint(subject, new Dictionary<string, object>
    {
        ["groups"] = new[] { "/institutions/NotIceCube", "/tokens/ewms-dev-x", "x/institutions/IceCube" },
        ["ewms_role"] = "system-tmsx",
    });

    public string Expired(string subject = "alice") => Mint(subject, UserClaims(),
        expires: DateTime.UtcNow.AddHours(-1), notBefore: DateTime.UtcNow.AddHours(-2));

    public string NotYetValid(string subject = "alice") => Mint(subject, UserClaims(),
        expires: DateTime.UtcNow.AddHours(2), notBefore: DateTime.UtcNow.AddHours(1));

    /// <summary>A TMS token as Keycloak's client credentials often make them: no audience at all, or only "account".</summary>
    public string TmsFor(string? audience, string subject = "tms-sub-2") =>
        new TokenMinter(Credentials, Issuer, audience!).Mint(subject, new Dictionary<string, object> { ["ewms_role"] = "system-tms" });

    public string WrongAudience(string subject = "alice") =>
        new TokenMinter(Credentials, Issuer, "some-other-service").Mint(subject, UserClaims());

    public string WrongIssuer(string subject = "alice") =>
        new TokenMinter(Credentials, "https://evil.test/realms/IceCube", AudienceName).Mint(subject, UserClaims());

    /// <summary>Right claims, but signed with a key of the same kind that the service does not know.</summary>
    public string WrongSignature(string subject = "alice")
    {
        var other = Credentials.Key is RsaSecurityKey rsa
            ? Rsa(Issuer, AudienceName, rsa.KeyId)
            : Symmetric(Issuer, AudienceName);
        return other.Mint(subject, UserClaims());
    }

    /// <summary>The classic: alg "none" and no signature at all.</summary>
    public string Unsigned(string subject = "alice")
    {
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var payload = Base64UrlEncoder.Encode(
            $$"""{"sub":"{{subject}}","iss":"{{Issuer}}","aud":"{{AudienceName}}","exp":{{exp}},"groups":["/institutions/IceCube"]}""");
        return $"{header}.{payload}.";
    }

    /// <summary>A valid token with its payload swapped for one granting more: the signature no longer matches.</summary>
    public string Tampered()
    {
        var parts = User("alice").Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1]))
            .Replace("/institutions/IceCube/UW-Madison", "/institutions/IceCube/UW-Madison\",\"ewms_role\":\"system-tms", StringComparison.Ordinal);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
    }

    /// <summary>
    /// Checks a token as the MQS does (this minter's issuer and key, its lifetime; any audience) and gives its claims,
    /// or null; for <see cref="Wms.Testing.FakeMqs.TokenValidator"/>.
    /// </summary>
    public async Task<ClaimsIdentity?> ValidateAsync(string token)
    {
        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidateAudience = false,
            IssuerSigningKey = Credentials.Key,
        });
        return result.IsValid ? result.ClaimsIdentity : null;
    }

    public string Mint(string subject, IDictionary<string, object> claims, DateTime? expires = null, DateTime? notBefore = null)
    {
        var all = new Dictionary<string, object>(claims) { ["sub"] = subject };
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = string.IsNullOrEmpty(AudienceName) ? null : AudienceName,
            Claims = all,
            NotBefore = notBefore ?? DateTime.UtcNow.AddMinutes(-1),
            IssuedAt = notBefore ?? DateTime.UtcNow.AddMinutes(-1),
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            SigningCredentials = Credentials,
        });
    }

    private static Dictionary<string, object> UserClaims() => new() { ["groups"] = new[] { "/institutions/IceCube" } };
}
