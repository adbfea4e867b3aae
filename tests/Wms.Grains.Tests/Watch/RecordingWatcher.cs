using Wms.GrainInterfaces.Watch;

namespace Wms.Grains.Tests.Watch;

/// <summary>
/// A watcher as a silo's hub is one, recording what its events grain sends it; it can be held (each send waits for
/// <see cref="Release"/>) to fall behind.
/// </summary>
public sealed class RecordingWatcher : IWorkflowEventsObserver
{
    private readonly Lock _gate = new();
    private readonly List<WatchEvent> _events = [];
    private readonly List<(string Epoch, long Sequence)> _restarts = [];
    private TaskCompletionSource _held = Released();

    public string Id { get; } = Guid.NewGuid().ToString("N");

    public IReadOnlyList<WatchEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public IReadOnlyList<(string Epoch, long Sequence)> Restarts
    {
        get
        {
            lock (_gate)
            {
                return [.. _restarts];
            }
        }
    }

    public void Hold()
    {
        lock (_gate)
        {
            _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            _held.TrySetResult();
        }
    }

    public async Task OnEventsAsync(string epoch, IReadOnlyList<WatchEvent> events)
    {
        Task held;
        lock (_gate)
        {
            held = _held.Task;
        }
        await held;
        lock (_gate)
        {
            _events.AddRange(events);
        }
    }

    public Task OnRestartAsync(string epoch, long sequence)
    {
        lock (_gate)
        {
            _restarts.Add((epoch, sequence));
        }
        return Task.CompletedTask;
    }

    private static TaskCompletionSource Released()
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        released.SetResult();
        return released;
    }
}
