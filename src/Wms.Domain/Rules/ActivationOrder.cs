using Wms.Domain.Model;

namespace Wms.Domain.Rules;

/// <summary>The facts the MQ activation loop orders waiting workflows by.</summary>
public sealed record ActivationKeys(string WorkflowId, int Priority, double Timestamp, double? RetryAtTs)
{
    /// <summary>Null when the workflow is not waiting: already activated, or deactivated.</summary>
    public static ActivationKeys? From(WorkflowDocument wf) =>
        wf.MqActivatedTs is null && wf.Deactivated is null
            ? new ActivationKeys(wf.WorkflowId, wf.Priority, wf.Timestamp, wf.MqActivationRetryAtTs)
            : null;

    public bool IsDue(double now) => RetryAtTs is null || RetryAtTs <= now;

    /// <summary>When it may next be tried: at once unless a retry wait is running.</summary>
    public double DueAt => RetryAtTs ?? double.NegativeInfinity;
}

/// <summary>The order of the activation loop: due retries first, then higher priority, then older.</summary>
public static class ActivationOrder
{
    public static readonly IComparer<ActivationKeys> Order = Comparer<ActivationKeys>.Create((a, b) =>
    {
        var retryFirst = (b.RetryAtTs is not null).CompareTo(a.RetryAtTs is not null);
        if (retryFirst != 0)
        {
            return retryFirst;
        }
        var priority = b.Priority.CompareTo(a.Priority);
        if (priority != 0)
        {
            return priority;
        }
        var age = a.Timestamp.CompareTo(b.Timestamp);
        return age != 0 ? age : string.CompareOrdinal(a.WorkflowId, b.WorkflowId);
    });
}
