using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wms.Domain.Model;
using Wms.Domain.Watch;
using Wms.GrainInterfaces.Watch;

namespace Wms.Api.Watch;

/// <summary>
/// This silo's live watching: one <see cref="WorkflowWatch"/> per watched workflow, shared by the silo's clients of
/// it, made with the first and closed with the last. It renews every watcher each refresh period, queues the
/// keep-alive comment for every client, and ends every stream as soon as the service begins to stop, so that a
/// stop is not held up by clients that never hang up (they reconnect to another silo and resume).
/// </summary>
public sealed partial class WatchHub : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, WorkflowWatch> _watches = new(StringComparer.Ordinal);
    private readonly IGrainFactory _grains;
    private readonly IWatchExplainer _explainer;
    private readonly WatchOptions _options;
    private readonly ILogger<WatchHub> _logger;
    private readonly ITimer _renewals;
    private readonly ITimer _keepAlives;
    private readonly CancellationTokenRegistration _onStopping;
    private volatile bool _stopping;
    private int _connections;

    public WatchHub(
        IGrainFactory grains, IWatchExplainer explainer, IOptions<WatchOptions> options, TimeProvider time,
        IHostApplicationLifetime lifetime, ILogger<WatchHub> logger)
    {
        _grains = grains;
        _explainer = explainer;
        _options = options.Value;
        _logger = logger;
        _renewals = time.CreateTimer(_ => RenewAll(), null, _options.RefreshPeriod, _options.RefreshPeriod);
        _keepAlives = time.CreateTimer(_ => KeepAll(), null, _options.KeepAlive, _options.KeepAlive);
        _onStopping = lifetime.ApplicationStopping.Register(EndStreams);
    }

    /// <summary>True once the service began to stop: streams end, and new ones only say when to come back.</summary>
    public bool Stopping => _stopping;

    /// <summary>How many clients this silo streams to.</summary>
    public int Connections
    {
        get
        {
            lock (_gate)
            {
                return _connections;
            }
        }
    }

    /// <summary>
    /// A new client of <paramref name="workflowId"/>, joined to the silo's watcher of it (registered first when it
    /// is the first): it is sent every event after the position set on it.
    /// </summary>
    public async Task<WatchConnection> ConnectAsync(
        string workflowId, ApiGeneration generation, CancellationToken requestAborted)
    {
        var connection = new WatchConnection(workflowId, generation, _options.ClientQueue, requestAborted);
        try
        {
            while (true)
            {
                WorkflowWatch watch;
                lock (_gate)
                {
                    if (!_watches.TryGetValue(workflowId, out watch!) || watch.IsClosed)
                    {
                        watch = new WorkflowWatch(workflowId, _grains, _explainer, _logger);
                        _watches[workflowId] = watch;
                    }
                }
                try
                {
                    await watch.Ready.WaitAsync(requestAborted);
                }
                catch (Exception) when (!requestAborted.IsCancellationRequested)
                {
                    // A failed registration is not kept: the next client tries afresh.
                    Forget(watch);
                    throw;
                }
                catch (OperationCanceledException)
                {
                    CloseIfUnused(watch);
                    throw;
                }
                if (watch.TryJoin(connection))
                {
                    lock (_gate)
                    {
                        _connections++;
                    }
                    if (_stopping)
                    {
                        connection.End("the service is stopping");
                    }
                    return connection;
                }
            }
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The events a reconnecting client missed since <paramref name="position"/>, or why it gets a snapshot.</summary>
    public Task<ResumeAnswer> ReadSinceAsync(string workflowId, EventPosition position) =>
        _grains.GetGrain<IWorkflowEventsGrain>(workflowId).ReadSinceAsync(position.Epoch, position.Sequence);

    /// <summary>The client is gone; the last one of a workflow closes its watcher.</summary>
    public void Leave(WatchConnection connection)
    {
        WorkflowWatch? watch;
        lock (_gate)
        {
            _connections--;
            _watches.TryGetValue(connection.WorkflowId, out watch);
        }
        connection.Dispose();
        if (watch is not null && watch.Leave(connection))
        {
            Forget(watch);
            _ = watch.StopAsync();
        }
    }

    public void Dispose()
    {
        _renewals.Dispose();
        _keepAlives.Dispose();
        _onStopping.Dispose();
    }

    private void Forget(WorkflowWatch watch)
    {
        lock (_gate)
        {
            if (_watches.GetValueOrDefault(watch.WorkflowId) == watch)
            {
                _watches.Remove(watch.WorkflowId);
            }
        }
    }

    private List<WorkflowWatch> Watches()
    {
        lock (_gate)
        {
            return [.. _watches.Values];
        }
    }

    private void RenewAll()
    {
        foreach (var watch in Watches())
        {
            if (watch.Ready.IsCompleted && CloseIfUnused(watch))
            {
                continue;
            }
            _ = RenewAsync(watch);
            watch.RefreshTimelyExplanations();
        }
    }

    private bool CloseIfUnused(WorkflowWatch watch)
    {
        if (!watch.TryCloseUnused())
        {
            return false;
        }
        Forget(watch);
        _ = watch.StopAsync();
        return true;
    }

    private async Task RenewAsync(WorkflowWatch watch)
    {
        try
        {
            await watch.RenewAsync();
        }
        catch (Exception e)
        {
            // Tried again next period; meanwhile the watcher may miss events, and a lost registration restarts it then.
            LogRenewFailed(_logger, e, watch.WorkflowId);
        }
    }

    private void KeepAll()
    {
        foreach (var watch in Watches())
        {
            watch.OfferAll(WatchFrame.KeepAlive);
        }
    }

    /// <summary>
    /// Ends every stream and answers new ones with the retry interval alone: the service is stopping. Called at the
    /// start of the stop's drain, and when a signal asks the service to stop, whichever comes first.
    /// </summary>
    public void EndStreams()
    {
        if (_stopping)
        {
            return;
        }
        _stopping = true;
        var watches = Watches();
        LogStopping(_logger, Connections);
        foreach (var watch in watches)
        {
            watch.EndAll("the service is stopping");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew this silo's watcher of {WorkflowId}")]
    private static partial void LogRenewFailed(ILogger logger, Exception error, string workflowId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: ending {Count} event streams; their clients resume elsewhere")]
    private static partial void LogStopping(ILogger logger, int count);
}
