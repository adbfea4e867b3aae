using System.Security.Claims;
using System.Text.RegularExpressions;

namespace Wms.Testing;

/// <summary>
/// The real MQS's claim rules: <c>system-wms</c> is <c>ewms_role=system-wms</c>; <c>user</c> is a <c>groups</c> value
/// under <c>/institutions/IceCube</c> or equal to <c>/tokens/ewms-dev</c>, or <c>ewms_role=user</c>.
/// </summary>
public static partial class MqsRoleRules
{
    public static bool Holds(ClaimsIdentity identity, MqsRole role)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return role switch
        {
            MqsRole.SystemWms => identity.HasClaim("ewms_role", "system-wms"),
            MqsRole.User => identity.HasClaim("ewms_role", "user") ||
                identity.FindAll("groups").Any(g => UserGroup().IsMatch(g.Value)),
            _ => false,
        };
    }

    [GeneratedRegex("^/institutions/IceCube.*|^/tokens/ewms-dev$", RegexOptions.CultureInvariant)]
    private static partial Regex UserGroup();
}
