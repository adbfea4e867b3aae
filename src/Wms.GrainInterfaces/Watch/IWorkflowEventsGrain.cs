using Orleans.Concurrency;

namespace Wms.GrainInterfaces.Watch;

/// <summary>
/// The events of one watched workflow (key: workflow id): numbers what its grains publish, keeps the newest for
/// resuming, and passes them on to the watchers, one per silo that has clients watching. It lives in memory only:
/// each activation is a new epoch, and watchers that find the epoch changed send their clients a fresh snapshot.
/// </summary>
public interface IWorkflowEventsGrain : IGrainWithStringKey
{
    /// <summary>
    /// A change of the workflow or of one of its taskforces; sent only while the workflow is watched. It only numbers
    /// and keeps the change, so it interleaves with a registration waiting on the registry rather than waiting for it.
    /// </summary>
    [AlwaysInterleave]
    Task PublishAsync(WatchEvent change);

    /// <summary>
    /// Registers (or renews) a silo's watcher: it is sent every event after the answer's sequence, in order. A
    /// first registration returns only once every silo's directory knows the workflow is watched, so that no
    /// change made after the answer goes unpublished. Watchers renew every refresh period.
    /// </summary>
    Task<WatchSubscription> WatchAsync(string watcherId, IWorkflowEventsObserver observer);

    /// <summary>The silo's last client left; the events are kept for the grace period all the same.</summary>
    Task UnwatchAsync(string watcherId);

    /// <summary>
    /// The events after <paramref name="sequence"/> of <paramref name="epoch"/>, for a client that reconnects
    /// naming its last event; or why it gets a snapshot instead.
    /// </summary>
    Task<ResumeAnswer> ReadSinceAsync(string epoch, long sequence);
}
