namespace Wms.Domain.Index;

/// <summary>
/// Where some taskforces stand in launch control's queue (<see cref="Rules.TaskforceSelection.LaunchOrder"/>): the
/// 1-based position of each one asked about that is in it, and how many taskforces the queue holds.
/// </summary>
public sealed record LaunchQueuePositions(IReadOnlyDictionary<string, int> Positions, int Length)
{
    public static readonly LaunchQueuePositions Empty = new(new Dictionary<string, int>(), 0);

    /// <summary>The taskforce's position, or null when it is not in the queue (launched meanwhile, say).</summary>
    public int? Of(string taskforceUuid) => Positions.TryGetValue(taskforceUuid, out var position) ? position : null;
}
