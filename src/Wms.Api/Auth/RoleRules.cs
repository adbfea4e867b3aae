using System.Security.Claims;
using System.Text.RegularExpressions;

namespace Wms.Api.Auth;

/// <summary>Turns a validated token's claims into the caller's roles, by the configured claim rules.</summary>
public sealed class RoleRules
{
    private readonly (WmsRole Role, string Claim, Regex Pattern)[] _rules;

    public RoleRules(WmsAuthOptions options)
    {
        _rules =
        [
            .. options.EffectiveUserRules.Select(r => (WmsRole.User, r.Claim, r.ToRegex())),
            .. options.EffectiveTmsRules.Select(r => (WmsRole.Tms, r.Claim, r.ToRegex())),
        ];
    }

    public IReadOnlySet<WmsRole> RolesOf(ClaimsPrincipal principal)
    {
        var roles = new HashSet<WmsRole>();
        foreach (var (role, claim, pattern) in _rules)
        {
            if (!roles.Contains(role) && principal.FindAll(claim).Any(c => Matches(pattern, c.Value)))
            {
                roles.Add(role);
            }
        }
        return roles;
    }

    private static bool Matches(Regex pattern, string value)
    {
        try
        {
            return pattern.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            // A claim value that takes this long to match grants nothing.
            return false;
        }
    }
}
