using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Wms.Durability.Tests;

/// <summary>
/// What a load balancer in front of the silos does, as a client-side stand-in: requests go round the silos in
/// rotation; a silo leaves the rotation once its <c>/readyz</c> answers 503 (probed every
/// <see cref="ProbeInterval"/>) or it refuses a connection; a request whose connection was refused was never sent, so
/// it goes to another silo instead. Anything else a silo answers, or any other failure, is the client's answer.
/// </summary>
public sealed class LoadBalancer : IAsyncDisposable
{
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(100);

    private readonly SiloProcess[] _silos;
    private readonly bool[] _inRotation;
    private readonly ConcurrentQueue<string> _notes = new();
    private readonly ConcurrentQueue<(SiloProcess Silo, long At)> _notReady = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _probing;
    private int _next;

    public LoadBalancer(params SiloProcess[] silos)
    {
        _silos = silos;
        _inRotation = [.. silos.Select(_ => true)];
        _probing = System.Threading.Tasks.Task.Run(ProbeAsync);
    }

    /// <summary>What the balancer did, in order: for a failed test's message.</summary>
    public string Notes => string.Join("\n", _notes);

    /// <summary>The times (<see cref="Stopwatch"/> timestamps) at which <paramref name="silo"/>'s /readyz answered 503.</summary>
    public IReadOnlyList<long> NotReadyAnswersOf(SiloProcess silo) =>
        [.. _notReady.Where(n => n.Silo == silo).Select(n => n.At)];

    public bool InRotation(SiloProcess silo)
    {
        lock (_inRotation)
        {
            return _inRotation[Array.IndexOf(_silos, silo)];
        }
    }

    /// <summary>Sends a request to the next silo in rotation; to another if the connection is refused.</summary>
    public async Task<(HttpResponseMessage Response, SiloProcess Silo)> SendAsync(Func<HttpClient, Task<HttpResponseMessage>> send)
    {
        for (var attempt = 0; attempt <= _silos.Length; attempt++)
        {
            var silo = Next() ?? throw new InvalidOperationException($"no silo left in rotation:\n{Notes}");
            try
            {
                return (await send(silo.Http), silo);
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError)
            {
                TakeOut(silo, $"refused a connection ({e.Message})");
            }
        }
        throw new InvalidOperationException($"every silo refused the connection:\n{Notes}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _probing;
        _stop.Dispose();
    }

    private SiloProcess? Next()
    {
        lock (_inRotation)
        {
            for (var i = 0; i < _silos.Length; i++)
            {
                var candidate = _next++ % _silos.Length;
                if (_inRotation[candidate])
                {
                    return _silos[candidate];
                }
            }
            return null;
        }
    }

    private void TakeOut(SiloProcess silo, string why)
    {
        lock (_inRotation)
        {
            var i = Array.IndexOf(_silos, silo);
            if (_inRotation[i])
            {
                _inRotation[i] = false;
                _notes.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} silo :{silo.RestPort} out of rotation: {why}");
            }
        }
    }

    private async Task ProbeAsync()
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (!_stop.IsCancellationRequested)
        {
            foreach (var silo in _silos.Where(InRotation))
            {
                try
                {
                    using var answer = await probe.GetAsync(new Uri(silo.Http.BaseAddress!, "readyz"), _stop.Token);
                    if (answer.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        _notReady.Enqueue((silo, Stopwatch.GetTimestamp()));
                        TakeOut(silo, $"/readyz answered 503: {await answer.Content.ReadAsStringAsync()}");
                    }
                }
                catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError)
                {
                    TakeOut(silo, $"/readyz refused a connection ({e.Message})");
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                {
                    // One probe without an answer takes no silo out, as a balancer's unhealthy threshold would have it.
                    _notes.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} silo :{silo.RestPort} /readyz gave no answer: {e.Message}");
                }
            }
            try
            {
                await Task.Delay(ProbeInterval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
