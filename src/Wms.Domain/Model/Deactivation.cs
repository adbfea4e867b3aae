namespace Wms.Domain.Model;

/// <summary>The two ways a user ends a workflow, as stored in <c>deactivated</c>.</summary>
public static class Deactivation
{
    public const string Aborted = "ABORTED";
    public const string Finished = "FINISHED";
}
