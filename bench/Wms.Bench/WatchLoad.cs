using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace Wms.Bench;

/// <summary>
/// With <c>--watchers N</c>, beside the mixed load: N live watchers (<c>GET /v0/workflows/{id}/events</c>) held on the
/// service through the middle half of the phase, spread over the newest workflows the users created, counting the
/// events they receive; and a closed-loop GET prober through the whole phase, whose rate in the two quarters without
/// watchers and in the half with them, measured in the same run, says what holding the watchers costs the service.
/// </summary>
/// <remarks>
/// The quarters without watchers come before and after the half with them, so that a load that grows through the
/// phase (the stored taskforces, the running set) weighs on both sides alike. Connecting and closing the watchers is
/// left out of both: the prober's requests that start in one window and end in another are not counted.
/// </remarks>
public sealed class WatchLoad(BenchOptions options, Uri address)
{
    private enum Window
    {
        Without,
        Connecting,
        With,
        Closing,
    }

    private readonly Lock _gate = new();
    private readonly List<CreatedWorkflow> _created = [];
    private readonly ConcurrentDictionary<string, long> _events = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _errors = new();
    private long _probeWithout;
    private long _probeWith;
    private long _probeErrors;
    private long _endedEarly;
    private long _failures;
    private long _connected;
    private volatile Window _window;

    /// <summary>A workflow the users created: what watchers watch and the prober reads.</summary>
    public void Created(CreatedWorkflow workflow)
    {
        lock (_gate)
        {
            _created.Add(workflow);
        }
    }

    /// <summary>Runs for <paramref name="seconds"/> (the mixed phase's length) and writes what it saw into <paramref name="extra"/>.</summary>
    public async Task RunAsync(double seconds, JsonObject extra)
    {
        using var http = new BenchHttp(address);
        using var watchers = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            MaxConnectionsPerServer = int.MaxValue,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        })
        {
            BaseAddress = address,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var phase = Stopwatch.StartNew();
        var end = Deadline.In(seconds);
        var probers = Enumerable.Range(0, options.WatchProbers).Select(i => Task.Run(() => ProbeAsync(http, i, end))).ToList();

        await Deadline.In(seconds / 4).SleepAsync(seconds / 4);
        var withoutBefore = phase.Elapsed.TotalSeconds;
        _window = Window.Connecting;
        using var stop = new CancellationTokenSource();
        var (held, connectSeconds, watched) = await ConnectAsync(watchers, stop.Token);
        var withStart = phase.Elapsed.TotalSeconds;
        _window = Window.With;
        var closeAt = seconds * 3 / 4;
        await end.SleepAsync(closeAt - phase.Elapsed.TotalSeconds);
        var withEnd = phase.Elapsed.TotalSeconds;
        _window = Window.Closing;
        await stop.CancelAsync();
        await Task.WhenAll(held);
        var withoutAfterStart = phase.Elapsed.TotalSeconds;
        _window = Window.Without;
        await Task.WhenAll(probers);
        var withoutSeconds = withoutBefore + (phase.Elapsed.TotalSeconds - withoutAfterStart);
        var withSeconds = withEnd - withStart;

        var rateWithout = withoutSeconds > 0 ? Interlocked.Read(ref _probeWithout) / withoutSeconds : 0;
        var rateWith = withSeconds > 0 ? Interlocked.Read(ref _probeWith) / withSeconds : 0;
        var received = _events.Values.Sum();
        extra["watchers"] = new JsonObject
        {
            ["description"] = $"{options.Watchers} watchers of GET /v0/workflows/{{id}}/events held from {Report.Round(withStart, 1)} " +
                $"to {Report.Round(withEnd, 1)} s of the phase, over the {watched} newest workflows then; {options.WatchProbers} " +
                "clients of GET /v0/taskforces/{uuid} in a closed loop through the whole phase",
            ["watchers"] = options.Watchers,
            ["connected"] = Interlocked.Read(ref _connected),
            ["workflows_watched"] = watched,
            ["connect_seconds"] = Report.Round(connectSeconds, 2),
            ["held_seconds"] = Report.Round(withSeconds, 2),
            ["events_received"] = received,
            ["events_per_second"] = Report.Round(withSeconds > 0 ? received / withSeconds : 0, 1),
            ["events_by_name"] = new JsonObject(_events.OrderBy(e => e.Key, StringComparer.Ordinal)
                .Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
            ["ended_early"] = Interlocked.Read(ref _endedEarly),
            ["failures"] = Interlocked.Read(ref _failures),
            ["get_without_watchers"] = new JsonObject
            {
                ["count"] = Interlocked.Read(ref _probeWithout),
                ["seconds"] = Report.Round(withoutSeconds, 2),
                ["per_second"] = Report.Round(rateWithout, 1),
            },
            ["get_with_watchers"] = new JsonObject
            {
                ["count"] = Interlocked.Read(ref _probeWith),
                ["seconds"] = Report.Round(withSeconds, 2),
                ["per_second"] = Report.Round(rateWith, 1),
            },
            ["get_rate_ratio"] = rateWithout > 0 ? Report.Round(rateWith / rateWithout, 4) : null,
            ["get_errors"] = Interlocked.Read(ref _probeErrors),
            ["error_samples"] = new JsonArray([.. _errors.Take(5).Select(e => (JsonNode)e)]),
        };
    }

    /// <summary>
    /// Connects every watcher, a few at a time, each to one of the newest workflows (as many as there are watchers,
    /// when the users created that many), and waits for each one's snapshot. Returns the running watchers.
    /// </summary>
    private async Task<(List<Task> Held, double Seconds, int Workflows)> ConnectAsync(HttpClient client, CancellationToken stop)
    {
        List<CreatedWorkflow> newest;
        lock (_gate)
        {
            newest = [.. _created.Skip(Math.Max(0, _created.Count - options.Watchers))];
        }
        if (newest.Count == 0)
        {
            _errors.Enqueue("no workflow was created before the watchers were to connect");
            Interlocked.Increment(ref _failures);
            return ([], 0, 0);
        }
        var clock = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(32);
        var snapshots = new List<Task>();
        var held = new List<Task>();
        for (var i = 0; i < options.Watchers; i++)
        {
            var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var workflow = newest[i % newest.Count].WorkflowId;
            await gate.WaitAsync(stop);
            held.Add(Task.Run(() => WatchAsync(client, workflow, connected, stop), CancellationToken.None));
            snapshots.Add(connected.Task.ContinueWith(_ => gate.Release(), TaskScheduler.Default));
        }
        await Task.WhenAll(snapshots);
        return (held, clock.Elapsed.TotalSeconds, newest.Count);
    }

    /// <summary>
    /// One watcher: reads its stream, counting the events by name, until it is stopped; a stream the service ends
    /// early is counted and resumed from the last event's id, as a browser would.
    /// </summary>
    private async Task WatchAsync(HttpClient client, string workflowId, TaskCompletionSource connected, CancellationToken stop)
    {
        string? lastId = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"v0/workflows/{workflowId}/events");
                    if (lastId is not null)
                    {
                        request.Headers.TryAddWithoutValidation("Last-Event-ID", lastId);
                    }
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Fail($"{(int)response.StatusCode} from the events of {workflowId}");
                        return;
                    }
                    await using var body = await response.Content.ReadAsStreamAsync(stop);
                    using var reader = new StreamReader(body);
                    while (await reader.ReadLineAsync(stop) is { } line)
                    {
                        if (line.StartsWith("id: ", StringComparison.Ordinal))
                        {
                            lastId = line[4..];
                        }
                        else if (line.StartsWith("event: ", StringComparison.Ordinal))
                        {
                            var name = line[7..];
                            _events.AddOrUpdate(name, 1, (_, n) => n + 1);
                            if (name == "snapshot" && connected.TrySetResult())
                            {
                                Interlocked.Increment(ref _connected);
                            }
                        }
                    }
                    if (!stop.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref _endedEarly);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or IOException && !stop.IsCancellationRequested)
                {
                    Fail($"the events of {workflowId}: {e.Message}");
                    await Task.Delay(200, stop);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The half with watchers is over.
        }
        finally
        {
            connected.TrySetResult();
        }
    }

    /// <summary>GET of a random taskforce of the users' workflows, in a closed loop, counted by the window it ran in.</summary>
    private async Task ProbeAsync(BenchHttp http, int prober, Deadline end)
    {
        var random = new Random(3000 + prober);
        var record = Recorder.Discard().Of("watch-probe");
        while (!end.Passed)
        {
            string? uuid = null;
            lock (_gate)
            {
                if (_created.Count > 0)
                {
                    var workflow = _created[random.Next(_created.Count)];
                    uuid = workflow.TaskforceUuids[random.Next(workflow.TaskforceUuids.Count)];
                }
            }
            if (uuid is null)
            {
                await end.SleepAsync(0.01);
                continue;
            }
            var window = _window;
            var reply = await http.GetAsync(record, $"v0/taskforces/{uuid}");
            if (!reply.Ok)
            {
                Interlocked.Increment(ref _probeErrors);
                _errors.Enqueue($"{reply.Status} to GET v0/taskforces/{uuid}");
                continue;
            }
            if (_window != window)
            {
                continue;
            }
            if (window == Window.Without)
            {
                Interlocked.Increment(ref _probeWithout);
            }
            else if (window == Window.With)
            {
                Interlocked.Increment(ref _probeWith);
            }
        }
    }

    private void Fail(string what)
    {
        Interlocked.Increment(ref _failures);
        _errors.Enqueue(what);
    }
}
