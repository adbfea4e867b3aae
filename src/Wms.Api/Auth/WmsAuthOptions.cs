using System.Text.RegularExpressions;
using Microsoft.IdentityModel.Tokens;

namespace Wms.Api.Auth;

/// <summary>
/// How callers are authenticated (bearer JWTs) and which claims make which role. Read from the section
/// <c>Auth</c> and the AUTH_* variables; <see cref="Resolve"/> decides whether authentication is on.
/// </summary>
public sealed class WmsAuthOptions
{
    /// <summary>WMS_AUTH_DISABLED=true: off on purpose (development and tests).</summary>
    public bool Disabled { get; set; }

    /// <summary>The issuer's URL, or its <c>/.well-known/openid-configuration</c>: issuer and keys come from discovery.</summary>
    public string? OpenIdUrl { get; set; }

    /// <summary>The audience every token must name.</summary>
    public string? Audience { get; set; }

    /// <summary>The issuer every token must name; required with static keys, optional with discovery.</summary>
    public string? Issuer { get; set; }

    /// <summary>A symmetric signing secret (base64, at least 256 bits), for tests and offline sites.</summary>
    public string? SigningKey { get; set; }

    /// <summary>A file holding a JSON Web Key Set of the issuer's public keys, for offline sites.</summary>
    public string? JwksFile { get; set; }

    /// <summary>Claim rules giving the role <c>user</c>; empty means the contract's defaults.</summary>
    public List<ClaimRule> UserRules { get; set; } = [];

    /// <summary>Claim rules giving the role <c>system-tms</c>; empty means the contract's default.</summary>
    public List<ClaimRule> TmsRules { get; set; } = [];

    public static IReadOnlyList<ClaimRule> DefaultUserRules { get; } =
    [
        new() { Claim = "groups", Pattern = "^/institutions/IceCube.*" },
        new() { Claim = "groups", Pattern = "^/tokens/ewms-dev$" },
        new() { Claim = "ewms_role", Pattern = "^user$" },
    ];

    public static IReadOnlyList<ClaimRule> DefaultTmsRules { get; } =
    [
        new() { Claim = "ewms_role", Pattern = "^system-tms$" },
    ];

    public IReadOnlyList<ClaimRule> EffectiveUserRules => UserRules.Count > 0 ? UserRules : DefaultUserRules;

    public IReadOnlyList<ClaimRule> EffectiveTmsRules => TmsRules.Count > 0 ? TmsRules : DefaultTmsRules;

    private bool HasKeySource => Set(OpenIdUrl) || Set(SigningKey) || Set(JwksFile);

    private bool AnythingSet => HasKeySource || Set(Audience) || Set(Issuer);

    /// <summary>
    /// Decides whether authentication is on and checks that its configuration is whole. With no configuration at
    /// all it is off only for in-memory storage (the development default); <paramref name="durableStorage"/>
    /// (production) then refuses to start.
    /// </summary>
    /// <exception cref="InvalidOperationException">The configuration is incomplete or invalid.</exception>
    public AuthState Resolve(bool durableStorage)
    {
        if (Disabled)
        {
            return new AuthState(false, "WMS_AUTH_DISABLED=true");
        }
        if (!AnythingSet)
        {
            if (durableStorage)
            {
                throw new InvalidOperationException(
                    "Authentication is not configured, and WMS_STORAGE=postgres is a production set-up: set " +
                    "AUTH_OPENID_URL and AUTH_AUDIENCE (or, offline, AUTH_SIGNING_KEY or AUTH_JWKS_FILE with " +
                    "AUTH_ISSUER and AUTH_AUDIENCE), or set WMS_AUTH_DISABLED=true to run without authentication.");
            }
            return new AuthState(false, "no authentication is configured (AUTH_OPENID_URL, AUTH_SIGNING_KEY or AUTH_JWKS_FILE) and storage is in memory");
        }
        if (!HasKeySource)
        {
            throw Invalid("no keys to check tokens with: set AUTH_OPENID_URL, or AUTH_SIGNING_KEY or AUTH_JWKS_FILE");
        }
        if (!Set(OpenIdUrl) && !Set(Issuer))
        {
            throw Invalid("AUTH_ISSUER is required with AUTH_SIGNING_KEY or AUTH_JWKS_FILE (no discovery names it)");
        }
        if (Set(OpenIdUrl))
        {
            _ = MetadataAddress();
        }
        _ = StaticKeys();
        foreach (var rule in EffectiveUserRules.Concat(EffectiveTmsRules))
        {
            rule.Validate();
        }
        return new AuthState(true, null);
    }

    /// <summary>
    /// Whether tokens must name <see cref="Audience"/>. Unset, as in the original service, tokens for any audience
    /// are accepted (Keycloak's own tokens often name only "account", or nothing): the start-up log warns.
    /// </summary>
    public bool ChecksAudience => Set(Audience);

    /// <summary>The discovery document's address: the issuer URL with the well-known path added when missing.</summary>
    public Uri MetadataAddress()
    {
        const string wellKnown = "/.well-known/openid-configuration";
        var text = OpenIdUrl!.Trim();
        if (!text.EndsWith(wellKnown, StringComparison.Ordinal))
        {
            text = text.TrimEnd('/') + wellKnown;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            throw Invalid("AUTH_OPENID_URL must be an absolute http(s) URL");
        }
        if (uri.Scheme == "http" && !uri.IsLoopback)
        {
            throw Invalid("AUTH_OPENID_URL must use https (plain http is accepted only on this machine's loopback)");
        }
        return uri;
    }

    /// <summary>The keys given in configuration rather than by discovery.</summary>
    public IReadOnlyList<SecurityKey> StaticKeys()
    {
        var keys = new List<SecurityKey>();
        if (Set(SigningKey))
        {
            byte[] secret;
            try
            {
                secret = Convert.FromBase64String(SigningKey!.Trim());
            }
            catch (FormatException)
            {
                throw Invalid("AUTH_SIGNING_KEY must be base64");
            }
            if (secret.Length < 32)
            {
                throw Invalid("AUTH_SIGNING_KEY must hold at least 256 bits (32 bytes)");
            }
            keys.Add(new SymmetricSecurityKey(secret));
        }
        if (Set(JwksFile))
        {
            string json;
            try
            {
                json = File.ReadAllText(JwksFile!);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Invalid($"AUTH_JWKS_FILE '{JwksFile}' cannot be read");
            }
            IList<SecurityKey> fromFile;
            try
            {
                fromFile = new JsonWebKeySet(json).GetSigningKeys();
            }
            catch (ArgumentException)
            {
                throw Invalid($"AUTH_JWKS_FILE '{JwksFile}' is not a JSON Web Key Set");
            }
            if (fromFile.Count == 0)
            {
                throw Invalid($"AUTH_JWKS_FILE '{JwksFile}' holds no signing key");
            }
            keys.AddRange(fromFile);
        }
        return keys;
    }

    private static bool Set(string? value) => !string.IsNullOrWhiteSpace(value);

    private static InvalidOperationException Invalid(string problem) =>
        new($"Authentication configuration: {problem} (or set WMS_AUTH_DISABLED=true to run without authentication).");
}

/// <summary>
/// A caller holds a role when one value of <see cref="Claim"/> in its token matches <see cref="Pattern"/> (a regular
/// expression; anchor it to match whole values).
/// </summary>
public sealed class ClaimRule
{
    public string Claim { get; set; } = "";
    public string Pattern { get; set; } = "";

    public Regex ToRegex() =>
        new(Pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Claim))
        {
            throw new InvalidOperationException("Authentication configuration: a role rule names no claim.");
        }
        try
        {
            _ = ToRegex();
        }
        catch (ArgumentException)
        {
            throw new InvalidOperationException(
                $"Authentication configuration: the role rule for claim '{Claim}' has an invalid pattern '{Pattern}'.");
        }
    }
}

/// <summary>Whether authentication is on; when off, why (for the start-up warning).</summary>
public sealed record AuthState(bool Enabled, string? OffReason);
