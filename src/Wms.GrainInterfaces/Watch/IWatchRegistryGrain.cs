namespace Wms.GrainInterfaces.Watch;

/// <summary>
/// The cluster's one list of watched workflows (key 0), each until its lease runs out, and of every silo's
/// directory: an addition is pushed to every directory, and each directory takes the whole list again every refresh
/// period. It keeps nothing durable: after its silo leaves, the directories and the events grains fill it again.
/// </summary>
public interface IWatchRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Marks the workflow watched for one lease from now. A workflow not yet watched is pushed to every directory
    /// first: the call returns once each has it (or failed to answer in time, and was dropped until it rejoins).
    /// </summary>
    Task WatchAsync(string workflowId);

    /// <summary>
    /// A silo's directory joins (at start) or renews (every refresh period), handing over what it knows, which the
    /// registry adds to its own; it gets back every watched workflow with its lease's remaining time.
    /// </summary>
    Task<List<WatchedLease>> JoinAsync(string directoryId, IWatchDirectoryObserver directory, List<WatchedLease> known);
}
