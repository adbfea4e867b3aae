using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wms.Api.Configuration;
using Wms.Domain.Index;

namespace Wms.Api.Telemetry;

/// <summary>
/// Writes the polls this silo served (<see cref="ScheddPolls"/>) to the cluster's store every
/// <see cref="ExplainOptions.PollFlushInterval"/>: only the pairs of schedd and kind polled since the last write, in
/// one statement, so the poll itself stays a lookup and an atomic store. A last write on the way out keeps what a
/// restart would otherwise lose.
/// </summary>
/// <remarks>
/// Registered before the silo and the web server, so it stops after both: no poll is served after the last write.
/// A failed write is logged and its pairs are written with the next one.
/// </remarks>
public sealed partial class ScheddPollFlusher(
    ScheddPolls polls, IScheddPollStore store, IOptions<ExplainOptions> options, TimeProvider time,
    ILogger<ScheddPollFlusher> log) : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<(string Schedd, string Kind), DateTimeOffset> _written = [];

    /// <summary>Writes what was polled since the last write, if anything; returns how many pairs it wrote.</summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var changed = polls.Snapshot()
                .Where(p => !_written.TryGetValue((p.Schedd, p.Kind), out var at) || at < p.At)
                .ToList();
            if (changed.Count == 0)
            {
                return 0;
            }
            await store.RecordAsync(changed, cancellationToken);
            foreach (var poll in changed)
            {
                _written[(poll.Schedd, poll.Kind)] = poll.At;
            }
            return changed.Count;
        }
        finally
        {
            _gate.Release();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await TryFlushAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollFlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await TryFlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes the rest.
        }
    }

    private async Task TryFlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FlushAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The stop's time is up.
        }
        catch (Exception e)
        {
            LogWriteFailed(log, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not write the latest TMS polls for the other silos; trying again with the next write")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception);
}
