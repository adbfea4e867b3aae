using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace Wms.Bench;

/// <summary>
/// With <c>--watchers N</c>, beside the mixed load: N live watchers (<c>GET /v0/workflows/{id}/events</c>) held on the
/// service in <c>--watch-rounds</c> windows of the phase, spread over the workflows the users created, counting
/// the events they receive; and a closed-loop GET prober through the whole phase, whose rate in the windows with the
/// watchers against the windows around them without, measured in the same run, says what holding them costs.
/// </summary>
/// <remarks>
/// The phase is cut into 2 × rounds + 2 equal slots. The first is not measured: the mixed load ramps up in it, and the
/// prober ran up to twice as fast there as later. The others are without and with watchers in turn, starting and
/// ending without. The load still moves through the phase (the stored taskforces, the running set), and not along a
/// straight line: each window with watchers is set against the mean of the two windows beside it. Connecting and
/// closing the watchers is left out of every window: the prober's requests that start in one window and end in
/// another are not counted.
/// </remarks>
public sealed class WatchLoad(BenchOptions options, Uri address)
{
    private readonly Lock _gate = new();
    private readonly List<CreatedWorkflow> _created = [];
    private readonly ConcurrentDictionary<string, long> _events = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly List<ProbeWindow> _windows = [];
    private long _probeErrors;
    private long _endedEarly;
    private long _failures;
    private long _connected;
    private volatile ProbeWindow? _window;

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
        var slot = seconds / (2 * options.WatchRounds + 2);
        var probers = Enumerable.Range(0, options.WatchProbers).Select(i => Task.Run(() => ProbeAsync(http, i, end))).ToList();

        var connectSeconds = new List<double>();
        var connectedPerRound = new List<long>();
        var watched = 0;
        await end.SleepAsync(slot);
        Open(phase, watched: false);
        for (var round = 0; round < options.WatchRounds; round++)
        {
            await end.SleepAsync((2 * round + 2) * slot - phase.Elapsed.TotalSeconds);
            Close(phase);
            using var stop = new CancellationTokenSource();
            var connectedBefore = Interlocked.Read(ref _connected);
            var (held, took, workflows) = await ConnectAsync(watchers, stop.Token);
            connectSeconds.Add(took);
            connectedPerRound.Add(Interlocked.Read(ref _connected) - connectedBefore);
            watched = Math.Max(watched, workflows);
            Open(phase, watched: true);
            // Half a slot at least, when connecting took longer than its slot (a loaded machine, a smoke run's
            // short slots): a window too short to count anything measures nothing.
            await end.SleepAsync(Math.Max((2 * round + 3) * slot - phase.Elapsed.TotalSeconds, slot / 2));
            Close(phase);
            await stop.CancelAsync();
            await Task.WhenAll(held);
            Open(phase, watched: false);
        }
        await Task.WhenAll(probers);
        Close(phase);

        var with = _windows.Where(w => w.Watched).ToList();
        var without = _windows.Where(w => !w.Watched).ToList();
        // Each window with watchers against the mean of its neighbours without; the rounds' ratios averaged.
        var ratios = with.Select(w =>
        {
            var i = _windows.IndexOf(w);
            var around = (_windows[i - 1].Rate + _windows[i + 1].Rate) / 2;
            return around > 0 ? w.Rate / around : (double?)null;
        }).ToList();
        var ratio = ratios.All(r => r is not null) && ratios.Count > 0 ? ratios.Average() : null;
        var received = _events.Values.Sum();
        var heldSeconds = with.Sum(w => w.Seconds);
        extra["watchers"] = new JsonObject
        {
            ["description"] = $"{options.Watchers} watchers of GET /v0/workflows/{{id}}/events held in {options.WatchRounds} " +
                $"windows ({string.Join(", ", with.Select(w => $"{Report.Round(w.From, 1)}–{Report.Round(w.To, 1)} s"))} of the phase), " +
                $"spread over the workflows created by then; {options.WatchProbers} clients of GET /v0/taskforces/{{uuid}} in a closed loop " +
                "through the whole phase",
            ["watchers"] = options.Watchers,
            ["rounds"] = options.WatchRounds,
            ["connected"] = connectedPerRound.Count > 0 ? connectedPerRound.Min() : 0,
            ["workflows_watched"] = watched,
            ["connect_seconds"] = Report.Round(connectSeconds.Count > 0 ? connectSeconds.Max() : 0, 2),
            ["held_seconds"] = Report.Round(heldSeconds, 2),
            ["events_received"] = received,
            ["events_per_second"] = Report.Round(heldSeconds > 0 ? received / heldSeconds : 0, 1),
            ["events_by_name"] = new JsonObject(_events.OrderBy(e => e.Key, StringComparer.Ordinal)
                .Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
            ["ended_early"] = Interlocked.Read(ref _endedEarly),
            ["failures"] = Interlocked.Read(ref _failures),
            ["get_without_watchers"] = Totals(without),
            ["get_with_watchers"] = Totals(with),
            ["get_windows"] = new JsonArray([.. _windows.Select(w => (JsonNode)new JsonObject
            {
                ["watched"] = w.Watched,
                ["from"] = Report.Round(w.From, 2),
                ["to"] = Report.Round(w.To, 2),
                ["count"] = w.Count,
                ["per_second"] = Report.Round(w.Rate, 1),
            })]),
            ["get_rate_ratios"] = new JsonArray([.. ratios.Select(r => (JsonNode?)(r is { } v ? Report.Round(v, 4) : null))]),
            ["get_rate_ratio"] = ratio is { } mean ? Report.Round(mean, 4) : null,
            ["get_errors"] = Interlocked.Read(ref _probeErrors),
            ["error_samples"] = new JsonArray([.. _errors.Take(5).Select(e => (JsonNode)e)]),
        };
    }

    private static JsonObject Totals(List<ProbeWindow> windows)
    {
        var seconds = windows.Sum(w => w.Seconds);
        var count = windows.Sum(w => w.Count);
        return new JsonObject
        {
            ["count"] = count,
            ["seconds"] = Report.Round(seconds, 2),
            ["per_second"] = Report.Round(seconds > 0 ? count / seconds : 0, 1),
        };
    }

    /// <summary>Starts counting the prober's requests in a new window.</summary>
    private void Open(Stopwatch phase, bool watched)
    {
        var window = new ProbeWindow(watched, phase.Elapsed.TotalSeconds);
        lock (_gate)
        {
            _windows.Add(window);
        }
        _window = window;
    }

    /// <summary>Stops counting: until the next window opens, the prober's requests count nowhere.</summary>
    private void Close(Stopwatch phase)
    {
        if (_window is { } window)
        {
            window.To = phase.Elapsed.TotalSeconds;
            _window = null;
        }
    }

    /// <summary>
    /// Connects every watcher, a few at a time, each to one of the workflows created so far, evenly spread from the
    /// newest (one each when the users created that many), and waits for each one's snapshot. Returns the running
    /// watchers.
    /// </summary>
    private async Task<(List<Task> Held, double Seconds, int Workflows)> ConnectAsync(HttpClient client, CancellationToken stop)
    {
        List<CreatedWorkflow> chosen;
        lock (_gate)
        {
            // Spread over every workflow created so far, not the newest alone: under a long phase the newest wait in
            // the launch queue, where nothing happens to them, and watching them would cost (and measure) nothing.
            var step = Math.Max(1.0, _created.Count / (double)options.Watchers);
            chosen = [.. Enumerable.Range(0, Math.Min(options.Watchers, _created.Count))
                .Select(i => _created[_created.Count - 1 - (int)(i * step)])];
        }
        if (chosen.Count == 0)
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
            var workflow = chosen[i % chosen.Count].WorkflowId;
            await gate.WaitAsync(stop);
            held.Add(Task.Run(() => WatchAsync(client, workflow, connected, stop), CancellationToken.None));
            snapshots.Add(connected.Task.ContinueWith(_ => gate.Release(), TaskScheduler.Default));
        }
        await Task.WhenAll(snapshots);
        return (held, clock.Elapsed.TotalSeconds, chosen.Count);
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
            if (window is not null && _window == window)
            {
                Interlocked.Increment(ref window.Counted);
            }
        }
    }

    /// <summary>A stretch of the phase in which the prober's requests are counted, with or without the watchers.</summary>
    private sealed class ProbeWindow(bool watched, double from)
    {
        public long Counted;

        public bool Watched { get; } = watched;
        public double From { get; } = from;
        public double To { get; set; } = from;
        public double Seconds => To - From;
        public long Count => Interlocked.Read(ref Counted);
        public double Rate => Seconds > 0 ? Count / Seconds : 0;
    }

    private void Fail(string what)
    {
        Interlocked.Increment(ref _failures);
        _errors.Enqueue(what);
    }
}
