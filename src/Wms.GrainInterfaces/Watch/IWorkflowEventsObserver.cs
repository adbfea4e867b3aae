namespace Wms.GrainInterfaces.Watch;

/// <summary>A silo's watcher of one workflow, which fans the events out to that silo's clients.</summary>
public interface IWorkflowEventsObserver : IGrainObserver
{
    /// <summary>The next events, in order, each numbered one after the last sent.</summary>
    Task OnEventsAsync(string epoch, IReadOnlyList<WatchEvent> events);

    /// <summary>
    /// Events this watcher had not yet been sent were dropped (it fell too far behind): its clients need a fresh
    /// snapshot, after which events continue from <paramref name="sequence"/>.
    /// </summary>
    Task OnRestartAsync(string epoch, long sequence);
}
