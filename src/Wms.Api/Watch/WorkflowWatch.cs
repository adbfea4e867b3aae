using Microsoft.Extensions.Logging;
using Wms.Api.Explain;
using Wms.GrainInterfaces.Watch;

namespace Wms.Api.Watch;

/// <summary>
/// This silo's one watcher of a workflow, however many of its clients watch it: registered with the workflow's
/// events grain as a grain observer, it receives each event once and queues it for every client
/// (<see cref="WatchConnection"/>). It renews its registration every refresh period; when the events grain started
/// again (a new epoch, after its silo left) or lost track of it, every client gets a fresh snapshot.
/// </summary>
public sealed partial class WorkflowWatch : IWorkflowEventsObserver
{
    private readonly Lock _gate = new();
    private readonly List<WatchConnection> _connections = [];
    private readonly IGrainFactory _grains;
    private readonly IWatchExplainer _explainer;
    private readonly ILogger _logger;
    private readonly string _watcherId = Guid.NewGuid().ToString("N");
    private readonly Dictionary<string, string> _reasons = new(StringComparer.Ordinal);
    private readonly HashSet<string> _toExplain = new(StringComparer.Ordinal);
    private IWorkflowEventsObserver? _reference;
    private string _epoch = "";
    private long _last;
    private bool _closed;
    private bool _explaining;
    private bool _explainAll;
    private bool _explained;

    public WorkflowWatch(string workflowId, IGrainFactory grains, IWatchExplainer explainer, ILogger logger)
    {
        WorkflowId = workflowId;
        _grains = grains;
        _explainer = explainer;
        _logger = logger;
        Ready = RegisterAsync();
    }

    public string WorkflowId { get; }

    /// <summary>Done once the events grain knows this watcher: clients may join from then on.</summary>
    public Task Ready { get; }

    public bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _closed;
            }
        }
    }

    private IWorkflowEventsGrain Events => _grains.GetGrain<IWorkflowEventsGrain>(WorkflowId);

    /// <summary>
    /// Adds a client, which is sent every event after the current position (set on it); false when the watcher
    /// has closed (its last client left meanwhile) and a new one is needed.
    /// </summary>
    public bool TryJoin(WatchConnection connection)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }
            connection.Epoch = _epoch;
            connection.LastSent = _last;
            _connections.Add(connection);
            return true;
        }
    }

    /// <summary>Removes a client; true when it was the last, and the watcher is closed.</summary>
    public bool Leave(WatchConnection connection)
    {
        lock (_gate)
        {
            _connections.Remove(connection);
            if (_connections.Count > 0 || _closed)
            {
                return false;
            }
            _closed = true;
            return true;
        }
    }

    /// <summary>Closes the watcher when no client joined it after all (the first one left while it registered).</summary>
    public bool TryCloseUnused()
    {
        lock (_gate)
        {
            if (_connections.Count > 0 || _closed)
            {
                return false;
            }
            _closed = true;
            return true;
        }
    }

    /// <summary>Tells the events grain this silo no longer watches, and lets go of the observer.</summary>
    public async Task StopAsync()
    {
        try
        {
            await Ready;
            await Events.UnwatchAsync(_watcherId);
        }
        catch (Exception e)
        {
            // Not told: it forgets a watcher that stops renewing all the same.
            LogUnwatchFailed(_logger, e, WorkflowId);
        }
        finally
        {
            if (_reference is { } reference)
            {
                _grains.DeleteObjectReference<IWorkflowEventsObserver>(reference);
            }
        }
    }

    /// <summary>Registers again, as every refresh period; a new epoch, or a registration lost, restarts the clients.</summary>
    public async Task RenewAsync()
    {
        if (IsClosed || !Ready.IsCompletedSuccessfully)
        {
            return;
        }
        var subscription = await Events.WatchAsync(_watcherId, _reference!);
        lock (_gate)
        {
            if (subscription.Epoch != _epoch || (!subscription.Renewed && subscription.Sequence > _last))
            {
                RestartLocked(subscription.Epoch, subscription.Sequence);
            }
        }
    }

    /// <summary>Queues a frame for every client (the keep-alive comment, say).</summary>
    public void OfferAll(WatchFrame frame)
    {
        lock (_gate)
        {
            foreach (var connection in _connections)
            {
                connection.Offer(frame);
            }
        }
    }

    /// <summary>Ends every client's stream (the service is stopping).</summary>
    public void EndAll(string because)
    {
        lock (_gate)
        {
            foreach (var connection in _connections)
            {
                connection.End(because);
            }
        }
    }

    public async Task OnEventsAsync(string epoch, IReadOnlyList<WatchEvent> events)
    {
        await Ready;
        var explainAll = false;
        List<string>? toExplain = null;
        lock (_gate)
        {
            if (epoch != _epoch || events[0].Sequence > _last + 1)
            {
                // A new events grain (or one that had forgotten this watcher) sends before the renewal that
                // registered this watcher again has been answered: the events in between are not coming.
                RestartLocked(epoch, events[0].Sequence - 1);
            }
            foreach (var change in events)
            {
                if (change.Sequence <= _last)
                {
                    continue;
                }
                _last = change.Sequence;
                if (ExplainTrigger.CanChangeReason(change, _reasons))
                {
                    if (change.Taskforce is { } taskforce)
                    {
                        (toExplain ??= []).Add(taskforce.TaskforceUuid);
                    }
                    else
                    {
                        explainAll = true;
                    }
                }
                var frame = WatchFrame.Event(epoch, change);
                foreach (var connection in _connections)
                {
                    connection.Offer(frame);
                }
            }
        }
        if (explainAll || toExplain is not null)
        {
            RequestExplanations(explainAll ? null : toExplain);
        }
    }

    public async Task OnRestartAsync(string epoch, long sequence)
    {
        await Ready;
        lock (_gate)
        {
            RestartLocked(epoch, sequence);
        }
    }

    private async Task RegisterAsync()
    {
        _reference = _grains.CreateObjectReference<IWorkflowEventsObserver>(this);
        var subscription = await Events.WatchAsync(_watcherId, _reference);
        lock (_gate)
        {
            _epoch = subscription.Epoch;
            _last = subscription.Sequence;
        }
        // The explanations as they stand: only later changes of a reason are sent.
        RequestExplanations(null);
    }

    private void RestartLocked(string epoch, long sequence)
    {
        _epoch = epoch;
        _last = sequence;
        var frame = WatchFrame.Restart(epoch, sequence);
        foreach (var connection in _connections)
        {
            connection.Offer(frame);
        }
    }

    /// <summary>
    /// Asks again when a taskforce's explanation can change with no event (<see cref="WatchExplanations.ChangesWithTime"/>):
    /// a TMS that stops polling sends nothing, but its watchers should hear that it looks down.
    /// </summary>
    public void RefreshTimelyExplanations()
    {
        List<string> timely;
        lock (_gate)
        {
            timely = _closed ? [] : [.. _reasons.Where(r => WatchExplanations.ChangesWithTime(r.Value)).Select(r => r.Key)];
        }
        if (timely.Count > 0)
        {
            RequestExplanations(timely);
        }
    }

    /// <summary>
    /// Asks the explainer about these taskforces (all of them when null), one request at a time; what is asked while
    /// one runs is gathered into the next.
    /// </summary>
    private void RequestExplanations(IReadOnlyCollection<string>? taskforceUuids)
    {
        lock (_gate)
        {
            if (taskforceUuids is null)
            {
                _explainAll = true;
            }
            else
            {
                _toExplain.UnionWith(taskforceUuids);
            }
            if (_explaining)
            {
                return;
            }
            _explaining = true;
        }
        _ = ExplainAsync();
    }

    private async Task ExplainAsync()
    {
        while (true)
        {
            IReadOnlyCollection<string>? asked;
            lock (_gate)
            {
                asked = _explainAll ? null : [.. _toExplain];
                _explainAll = false;
                _toExplain.Clear();
            }
            IReadOnlyList<WatchExplanation> explanations;
            try
            {
                explanations = await _explainer.ExplainAsync(WorkflowId, asked, CancellationToken.None);
            }
            catch (Exception e)
            {
                LogExplainFailed(_logger, e, WorkflowId);
                explanations = [];
            }
            lock (_gate)
            {
                foreach (var explanation in explanations)
                {
                    var changed = !_reasons.TryGetValue(explanation.TaskforceUuid, out var reason) || reason != explanation.Reason;
                    _reasons[explanation.TaskforceUuid] = explanation.Reason;
                    if (changed && _explained)
                    {
                        var frame = WatchFrame.Explain(explanation.Json);
                        foreach (var connection in _connections)
                        {
                            connection.Offer(frame);
                        }
                    }
                }
                _explained = true;
                if ((!_explainAll && _toExplain.Count == 0) || _closed)
                {
                    _explaining = false;
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not tell the events grain of {WorkflowId} that this silo stopped watching")]
    private static partial void LogUnwatchFailed(ILogger logger, Exception error, string workflowId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not explain {WorkflowId} for its watchers")]
    private static partial void LogExplainFailed(ILogger logger, Exception error, string workflowId);
}
