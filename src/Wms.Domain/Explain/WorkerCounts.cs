using System.Text.Json.Nodes;

namespace Wms.Domain.Explain;

/// <summary>
/// A cluster's workers by HTCondor job status, summed over their pilot statuses, from the TMS's
/// <c>compound_statuses</c> (condor status → pilot status → count). Status names compare without case.
/// </summary>
public sealed record WorkerCounts(long Running, long Idle, long Held, long Total)
{
    /// <summary>
    /// The counts of a <c>compound_statuses</c> map, whichever dictionary type holds its pilot statuses (the stored
    /// documents and the watch summaries hold different ones).
    /// </summary>
    public static WorkerCounts Of<TByPilot>(IEnumerable<KeyValuePair<string, TByPilot>> compoundStatuses)
        where TByPilot : IReadOnlyDictionary<string, long>
    {
        ArgumentNullException.ThrowIfNull(compoundStatuses);
        long running = 0, idle = 0, held = 0, total = 0;
        foreach (var (status, byPilot) in compoundStatuses)
        {
            var n = byPilot.Values.Sum();
            total += n;
            if (status.Equals("RUNNING", StringComparison.OrdinalIgnoreCase))
            {
                running += n;
            }
            else if (status.Equals("IDLE", StringComparison.OrdinalIgnoreCase))
            {
                idle += n;
            }
            else if (status.Equals("HELD", StringComparison.OrdinalIgnoreCase))
            {
                held += n;
            }
        }
        return new WorkerCounts(running, idle, held, total);
    }

    /// <summary>The statuses as reported, as JSON.</summary>
    public static JsonObject Json(IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> compoundStatuses)
    {
        var json = new JsonObject();
        foreach (var (status, byPilot) in compoundStatuses)
        {
            json[status] = Json(byPilot);
        }
        return json;
    }

    /// <summary>Counts by name (pilot statuses, or top task errors), as JSON.</summary>
    public static JsonObject Json(IReadOnlyDictionary<string, long> counts)
    {
        var json = new JsonObject();
        foreach (var (name, count) in counts)
        {
            json[name] = count;
        }
        return json;
    }
}
