using System.Globalization;
using Wms.Domain.Model;
using static Wms.Domain.Explain.ExplainText;

namespace Wms.Domain.Explain;

/// <summary>One sentence on a whole workflow: its state, and how many of its taskforces stand where.</summary>
public static class WorkflowSummary
{
    /// <summary>How a summary names the taskforces of each reason, after their count.</summary>
    private static readonly Dictionary<string, string> Standing = new(StringComparer.Ordinal)
    {
        [ExplainReason.MqActivationPending] = "waiting for MQ activation",
        [ExplainReason.LaunchQueue] = "in the launch queue",
        [ExplainReason.WaitingForTms] = "waiting for their TMS",
        [ExplainReason.TmsNotPolling] = "waiting for a TMS that looks down",
        [ExplainReason.SubmitRetryLimit] = "no longer offered after failed submissions",
        [ExplainReason.SubmittedNoReport] = "submitted, with no report yet",
        [ExplainReason.Running] = "running",
        [ExplainReason.WorkersIdle] = "with workers waiting for slots",
        [ExplainReason.WorkersHeld] = "with held workers",
        [ExplainReason.NoActiveWorkers] = "with no active workers",
        [ExplainReason.RemovalPending] = "waiting for removal",
        [ExplainReason.RmRetryLimit] = "whose removal failed",
        [ExplainReason.Removed] = "removed",
        [ExplainReason.StoppedBeforeSubmit] = "stopped before submission",
        [ExplainReason.Finished] = "finished",
    };

    public static string Of(WorkflowDocument workflow, IReadOnlyList<Explanation> taskforces)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(taskforces);
        var state = workflow switch
        {
            { Deactivated: Deactivation.Aborted, DeactivatedTs: { } at } => $"Aborted at {Time(at)}",
            { Deactivated: Deactivation.Finished, DeactivatedTs: { } at } => $"Marked finished at {Time(at)}",
            { Deactivated: not null } => "Deactivated",
            { MqActivatedTs: null } => $"Submitted at {Time(workflow.Timestamp)}, its queues not yet activated",
            _ => $"Active since {Time(workflow.MqActivatedTs.Value)}",
        };
        if (taskforces.Count == 0)
        {
            return $"{state}, with no taskforces.";
        }
        var byReason = taskforces.GroupBy(t => t.Reason).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var parts = ExplainReason.All.Where(byReason.ContainsKey)
            .Concat(byReason.Keys.Where(r => !Standing.ContainsKey(r)).Order(StringComparer.Ordinal))
            .Select(r => string.Create(CultureInfo.InvariantCulture,
                $"{byReason[r]} {Standing.GetValueOrDefault(r, r)}"))
            .ToList();
        return $"{state}, with {Count(taskforces.Count, "taskforce")}: {List(parts)}.";
    }
}
