namespace Wms.Api.Auth;

/// <summary>The roles a caller can hold (CONTRACT §5); each endpoint names the ones it admits.</summary>
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
