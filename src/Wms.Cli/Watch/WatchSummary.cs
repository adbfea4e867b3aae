namespace Wms.Cli.Watch;

/// <summary>One line on a watched workflow: its state and how many of its taskforces are in each phase.</summary>
public static class WatchSummary
{
    public static string Of(WatchedWorkflow workflow)
    {
        var phases = workflow.Taskforces
            .GroupBy(t => t.Phase)
            .Select(g => $"{g.Count()} {g.Key}");
        var state = workflow.State.Length > 0 ? $"{workflow.State}; " : "";
        return $"{workflow.WorkflowId}: {state}taskforces: {string.Join(", ", phases)}";
    }
}
