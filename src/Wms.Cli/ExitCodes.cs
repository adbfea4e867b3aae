namespace Wms.Cli;

/// <summary>
/// What the process's exit status tells a script: each kind of failure has its own, so a script can tell a typo
/// from a workflow that is not there, a refused token or a service that is down.
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Anything not named below: an unexpected answer, a conflict, an error inside the service.</summary>
    public const int Failure = 1;

    /// <summary>The command line, a file or a request is wrong: locally or by the service's 400.</summary>
    public const int Usage = 2;

    /// <summary>The service knows no such workflow, task directive or taskforce (404).</summary>
    public const int NotFound = 3;

    /// <summary>The service refused the token, or the caller's roles (401, 403).</summary>
    public const int AuthRefused = 4;

    /// <summary>The service could not be reached, or stayed unavailable through every retry.</summary>
    public const int Unavailable = 5;
}
