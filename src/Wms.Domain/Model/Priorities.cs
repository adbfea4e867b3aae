namespace Wms.Domain.Model;

/// <summary>The priority scale of workflows and their taskforces.</summary>
public static class Priorities
{
    /// <summary>A workflow's priority when a <c>/v0</c> request names none.</summary>
    public const int DefaultV0 = 10;

    /// <summary>A workflow's priority when a <c>/v1</c> request names none, as upstream.</summary>
    public const int DefaultV1 = 50;

    /// <summary>The highest priority a user may ask for; higher values are kept for added workers.</summary>
    public const int Max = 100;

    /// <summary>What added workers get over the taskforce they join, so they launch first, as upstream.</summary>
    public const int AddedWorkersBoost = 100;

    /// <summary>
    /// The priority of a taskforce stored before taskforces carried one: every such taskforce came through
    /// <c>/v0</c>, nearly always at its default.
    /// </summary>
    public const int Unrecorded = DefaultV0;
}
