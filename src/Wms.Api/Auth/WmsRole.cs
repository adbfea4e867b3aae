namespace Wms.Api.Auth;

/// <summary>
/// The roles a caller can hold (README.md, Authentication); each endpoint names the ones it admits, as listed in
/// Docs/API.md.
/// </summary>
public enum WmsRole
{
    /// <summary>A scientist, or a script acting for one: <c>user</c>.</summary>
    User,

    /// <summary>The Task Management Service: <c>system-tms</c>.</summary>
    Tms,
}

public static class WmsRoleNames
{
    public const string User = "user";
    public const string Tms = "system-tms";

    public static string Name(this WmsRole role) => role switch
    {
        WmsRole.User => User,
        WmsRole.Tms => Tms,
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };
}
