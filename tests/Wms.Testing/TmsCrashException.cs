namespace Wms.Testing;

/// <summary>
/// Thrown by the simulated <c>/v1</c> TMS where TMS v1.2.4 itself would fail on the WMS's answer: a key it reads is
/// missing (a Python KeyError) or holds a value it cannot use. The real TMS does not catch these, so its starter or
/// stopper task dies; a test seeing this exception has found an answer that would stop a real TMS.
/// </summary>
public sealed class TmsCrashException : Exception
{
    public TmsCrashException(string where, string problem)
        : base($"TMS v1.2.4 would fail at '{where}': {problem}")
    {
        Where = where;
        Problem = problem;
    }

    /// <summary>Where in the answer, e.g. <c>task_directive.init_env</c> or <c>mqprofiles[1].auth_token</c>.</summary>
    public string Where { get; }

    /// <summary>What is wrong there, e.g. "is missing (KeyError)".</summary>
    public string Problem { get; }
}
