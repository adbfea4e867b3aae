using Microsoft.Extensions.Options;
using Wms.Api.Watch;
using Wms.Silo.Configuration;

namespace Wms.Silo.Health;

/// <summary>
/// The first step of a stop: the silo says it is going (<c>/readyz</c> answers 503) and keeps serving for
/// <see cref="OperationsOptions.ShutdownDrain"/>, so that load balancers turn away before it stops listening.
/// </summary>
/// <remarks>
/// The host calls <see cref="StoppingAsync"/> of every lifecycle service before it stops any hosted service, so the
/// drain runs while the web server and the silo both still serve. The web server then stops (it is registered last,
/// so it stops first) and finishes the requests in flight, and only then does the silo leave the cluster. Event
/// streams never finish by themselves, so the drain ends them first (<see cref="WatchHub.EndStreams"/>): their
/// clients reconnect, through the load balancer, to a silo that stays.
/// </remarks>
public sealed partial class ShutdownDrain(
    IOptions<OperationsOptions> operations, IHostApplicationLifetime lifetime, WatchHub watch, ILogger<ShutdownDrain> log)
    : IHostedLifecycleService
{
    private volatile bool _begun;

    /// <summary>
    /// True once a stop has begun. A signal (SIGTERM, Ctrl+C) fires <see cref="IHostApplicationLifetime.ApplicationStopping"/>
    /// before the host starts stopping, and the drain itself marks a stop begun by other means.
    /// </summary>
    public bool HasBegun => _begun || lifetime.ApplicationStopping.IsCancellationRequested;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _begun = true;
        watch.EndStreams();
        var drain = operations.Value.ShutdownDrain;
        LogDraining(log, drain.TotalSeconds);
        try
        {
            await Task.Delay(drain, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The stop's time (WMS_SHUTDOWN_TIMEOUT) is up: the rest of the stop goes on, no longer graceful.
        }
        LogDrained(log);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Stopping: /readyz answers 503; serving {Seconds} s more (WMS_SHUTDOWN_DRAIN) so that load balancers turn away")]
    private static partial void LogDraining(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Drain over: no new requests; finishing those in flight, then leaving the cluster")]
    private static partial void LogDrained(ILogger logger);
}
