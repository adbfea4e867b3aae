using Wms.Domain.Model;

namespace Wms.Domain.Watch;

/// <summary>What kind of change a watcher is told of, from a taskforce's document before and after it.</summary>
public static class TaskforceChange
{
    /// <summary>The phase moved (or the taskforce is new).</summary>
    public const string Phase = "phase";

    /// <summary>The TMS reported other compound statuses or top task errors.</summary>
    public const string Status = "status";

    /// <summary>Anything else: an attempt logged without a move (a failed submit, say).</summary>
    public const string Log = "log";

    /// <summary>Not a change: the taskforce as a snapshot shows it.</summary>
    public const string Snapshot = "snapshot";

    public static string Of(TaskforceDocument? previous, TaskforceDocument next)
    {
        if (previous is null || previous.Phase != next.Phase)
        {
            return Phase;
        }
        return SameCounts(previous.TopTaskErrors, next.TopTaskErrors)
            && SameStatuses(previous.CompoundStatuses, next.CompoundStatuses)
            ? Log
            : Status;
    }

    private static bool SameStatuses(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> a,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }
        if (a.Count != b.Count)
        {
            return false;
        }
        foreach (var (status, counts) in a)
        {
            if (!b.TryGetValue(status, out var other) || !SameCounts(counts, other))
            {
                return false;
            }
        }
        return true;
    }

    private static bool SameCounts(IReadOnlyDictionary<string, long> a, IReadOnlyDictionary<string, long> b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }
        if (a.Count != b.Count)
        {
            return false;
        }
        foreach (var (name, count) in a)
        {
            if (!b.TryGetValue(name, out var other) || other != count)
            {
                return false;
            }
        }
        return true;
    }
}
