using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Wms.Api.Tests.Infrastructure;
using Wms.Api.Tests.Lifecycle;
using Wms.Api.Watch;
using Wms.Domain.Index;
using Wms.Testing;
using static Wms.Api.Tests.Lifecycle.Flow;
using static Wms.Api.Tests.Watch.Watching;

namespace Wms.Api.Tests.Watch;

/// <summary>
/// The stream itself: an idle one says it is alive, many clients of one workflow on one silo share its watcher and
/// each gets every event, explanations are sent when a taskforce's reason changes, and every stream ends as soon
/// as the service begins to stop.
/// </summary>
public sealed class EventsStreamTests
{
    [Fact]
    public async Task AnIdleStreamSendsKeepAliveComments()
    {
        await using var host = await LifecycleHost.StartAsync(StorageMode.Memory, s => s["WMS_WATCH_KEEPALIVE"] = "0.3");
        var created = await host.CreateStartableAsync(SimpleWorkflow(Alpha));
        var (stream, _) = await OpenWithSnapshotAsync(host.Server.Http, WorkflowId(created));
        await using var _ = stream;

        Assert.True(await Poll.UntilAsync(() => stream.Comments.Count(c => c == "keep-alive") >= 2, Deadline),
            $"comments: {string.Join(", ", stream.Comments)}");
        Assert.False(stream.Ended);
    }

    [Fact]
    public async Task ManyClientsOfOneWorkflowShareOneWatcherAndEachGetsEveryEvent()
    {
        await using var host = await LifecycleHost.StartAsync(StorageMode.Memory);
        var created = await host.CreateStartableAsync(SimpleWorkflow(Alpha));
        var (id, uuid) = (WorkflowId(created), TaskforceUuids(created).Single());
        var streams = new List<EventStreamClient>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                streams.Add((await OpenWithSnapshotAsync(host.Server.Http, id, i % 2 == 0 ? "v0" : "v1")).Stream);
            }
            var hub = host.Server.Services.GetRequiredService<WatchHub>();
            Assert.Equal(20, hub.Connections);

            await host.SubmitAsync(uuid);
            for (var round = 1; round <= 5; round++)
            {
                Assert.Equal(200, (await host.Alpha.SendStatusesAsync(
                    new Dictionary<string, Dictionary<string, Dictionary<string, int>>> { [uuid] = TmsSamples.CompoundStatuses(round) },
                    null)).StatusCode);
            }

            var seen = await System.Threading.Tasks.Task.WhenAll(streams.Select(s =>
                s.ReadUntilAsync(e => e.Json["compound_statuses"]?["RUNNING"]?["Tasking"]?.GetValue<long>() == 8, Deadline)));
            Assert.All(seen, events => Assert.Equal(seen[0].Select(e => e.Id), events.Select(e => e.Id)));
            Assert.All(seen, events => Assert.Equal(6, events.Count));
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
        var watchHub = host.Server.Services.GetRequiredService<WatchHub>();
        Assert.True(await Poll.UntilAsync(() => watchHub.Connections == 0, Deadline), $"{watchHub.Connections} still connected");
    }

    [Fact]
    public async Task AnExplanationIsSentWhenATaskforcesReasonChanges()
    {
        await using var watch = await ExplainedWatch.StartAsync();
        var (explainer, tms, uuid, stream) = (watch.Explainer, watch.Tms, watch.Uuid, watch.Stream);
        // The watcher has its first explanations (waiting in pending-starter): only a change of reason is sent.
        Assert.True(await Poll.UntilAsync(() => explainer.Asked > 0, Deadline));

        Assert.Equal(200, (await tms.FailSubmitAsync(uuid, "no slots")).StatusCode);
        Assert.Equal(200, (await tms.SubmitAsync(uuid, 7, 3)).StatusCode);
        var (explain, submitted) = (false, false);
        var events = await stream.ReadUntilAsync(e =>
        {
            explain |= e.Name == "explain";
            submitted |= MovedTo(e, CondorSubmit);
            return explain && submitted;
        }, Deadline);

        // The failed submit left the reason as it was; the submit changed it, once. The explainer reads the index as
        // it stands, so its answer to the failed submit's event may already see the submit: the explanation may
        // come before the submit's own event.
        Assert.Equal(
            new[] { "explain", "taskforce log", "taskforce phase pending-starter>condor-submit" },
            events.Select(Describe).Order(StringComparer.Ordinal));
        Assert.Equal("taskforce log", Describe(events[0]));
        var at = events.FindIndex(e => e.Name == "explain");
        var explained = events[at].Json;
        Assert.Equal((uuid, "running"), (Text(explained["taskforce_uuid"]), Text(explained["reason"])));
        // It carries the id of the last event before it, so a client resuming from it misses nothing.
        Assert.Equal(events[at - 1].Id, events[at].Id);
    }

    [Fact]
    public async Task EveryStreamEndsAsSoonAsTheServiceBeginsToStop()
    {
        var server = await WmsServer.StartAsync(s => s["WMS_SHUTDOWN_DRAIN"] = "3");
        await using var _ = server;
        var host = new UserClient(server.Http);
        var created = await host.CreateWorkflowAsync(SimpleWorkflow(Alpha));
        var streams = new List<EventStreamClient>();
        for (var i = 0; i < 5; i++)
        {
            streams.Add((await OpenWithSnapshotAsync(server.Http, WorkflowId(created))).Stream);
        }
        var clock = Stopwatch.StartNew();

        var stop = server.StopAsync();

        foreach (var stream in streams)
        {
            Assert.True(await stream.WaitForEndAsync(TimeSpan.FromSeconds(2)), "a stream outlived the start of the stop by 2 s");
            await stream.DisposeAsync();
        }
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"the streams ended {clock.Elapsed} after the stop began, not at its start");
        // A client that comes back during the drain is only told when to try again, and the stream ends at once.
        using (var again = await server.Http.GetAsync(EventsPath(WorkflowId(created)), HttpCompletionOption.ResponseContentRead))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, again.StatusCode);
            Assert.Equal("retry: 2000\n\n", Encoding.UTF8.GetString(await again.Content.ReadAsByteArrayAsync()));
        }
        await stop.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task AReportInTheStateExplainedAsksTheExplainerNothing()
    {
        await using var watch = await ExplainedWatch.StartAsync();
        var (explainer, tms, uuid, stream) = (watch.Explainer, watch.Tms, watch.Uuid, watch.Stream);
        Assert.Equal(200, (await tms.SubmitAsync(uuid, 7, 3)).StatusCode);
        await stream.ReadUntilAsync(e => e.Name == "explain", Deadline);
        Assert.True(await Poll.UntilAsync(() => explainer.InFlight == 0, Deadline));
        var before = explainer.Asked;

        // Running, with more workers each time: changes, but not of the reason the watcher was told ("running").
        foreach (var running in new[] { 2, 5, 9 })
        {
            Assert.Equal(200, (await tms.SendStatusesAsync(Statuses(uuid, "RUNNING", running), null)).StatusCode);
        }
        await stream.ReadUntilAsync(e => e.Json["compound_statuses"]?["RUNNING"]?["Tasking"]?.GetValue<long>() == 9, Deadline);
        // Held: a report that changes the reason, so it asks, about that taskforce alone.
        Assert.Equal(200, (await tms.SendStatusesAsync(Statuses(uuid, "HELD", 9), null)).StatusCode);
        Assert.True(await Poll.UntilAsync(() => explainer.Asked > before && explainer.InFlight == 0, Deadline));

        Assert.Equal(before + 1, explainer.Asked);
        Assert.Equal([uuid], explainer.LastAsked);
    }

    private static Dictionary<string, Dictionary<string, Dictionary<string, int>>> Statuses(
        string uuid, string status, int count) =>
        new() { [uuid] = new() { [status] = new() { ["Tasking"] = count } } };

    /// <summary>
    /// A service whose watcher explains with <see cref="PhaseExplainer"/>, its one workflow's taskforce waiting in
    /// pending-starter, and a stream open on that workflow with explanations, its snapshot read.
    /// </summary>
    private sealed class ExplainedWatch(
        WmsServer server, PhaseExplainer explainer, SimulatedTms tms, string uuid, EventStreamClient stream) : IAsyncDisposable
    {
        public PhaseExplainer Explainer => explainer;
        public SimulatedTms Tms => tms;
        public string Uuid => uuid;
        public EventStreamClient Stream => stream;

        public static async Task<ExplainedWatch> StartAsync()
        {
            var explainer = new PhaseExplainer();
            var server = await WmsServer.StartAsync(StorageMode.Memory, customize: b =>
                b.Services.AddSingleton<IWatchExplainer>(s => explainer.Reading(s.GetRequiredService<IObjectIndex>())));
            try
            {
                var host = new UserClient(server.Http);
                var tms = new SimulatedTms(server.Http, WmsServer.AlphaCollector, WmsServer.AlphaSchedd, V0Schema.Shared);
                var created = await host.CreateWorkflowAsync(SimpleWorkflow(Alpha));
                var (id, uuid) = (WorkflowId(created), TaskforceUuids(created).Single());
                Assert.True(await Poll.UntilAsync(async () => PhaseOf(await host.TaskforceAsync(uuid)) == PendingStarter, Deadline));
                var (stream, _) = await OpenWithSnapshotAsync(server.Http, id, explanations: true);
                return new ExplainedWatch(server, explainer, tms, uuid, stream);
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stream.DisposeAsync();
            await server.DisposeAsync();
        }
    }

    /// <summary>
    /// Explains from the index alone: "running" in condor-submit, "waiting-for-tms" elsewhere; counts what it is asked.
    /// </summary>
    private sealed class PhaseExplainer
    {
        private int _asked;
        private int _inFlight;
        private volatile IReadOnlyList<string>? _lastAsked;

        public int Asked => Volatile.Read(ref _asked);

        public int InFlight => Volatile.Read(ref _inFlight);

        /// <summary>The taskforces of the latest request; null when it asked about every one.</summary>
        public IReadOnlyList<string>? LastAsked => _lastAsked;

        public IWatchExplainer Reading(IObjectIndex index) => new Explainer(this, index);

        private sealed class Explainer(PhaseExplainer owner, IObjectIndex index) : IWatchExplainer
        {
            public async Task<IReadOnlyList<WatchExplanation>> ExplainAsync(
                string workflowId, IReadOnlyCollection<string>? taskforceUuids, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref owner._inFlight);
                try
                {
                    owner._lastAsked = taskforceUuids?.ToList();
                    var explanations = new List<WatchExplanation>();
                    var filter = Query.FilterParser.Parse(new JsonObject { ["workflow_id"] = workflowId });
                    await foreach (var tf in index.FindAsync(ObjectKind.Taskforce, filter, null, cancellationToken: cancellationToken))
                    {
                        var uuid = Text(tf["taskforce_uuid"])!;
                        if (taskforceUuids is not null && !taskforceUuids.Contains(uuid))
                        {
                            continue;
                        }
                        var reason = Text(tf["phase"]) == CondorSubmit ? "running" : "waiting-for-tms";
                        var json = new JsonObject { ["taskforce_uuid"] = uuid, ["workflow_id"] = workflowId, ["reason"] = reason };
                        explanations.Add(new WatchExplanation(uuid, reason, Encoding.UTF8.GetBytes(json.ToJsonString())));
                    }
                    Interlocked.Increment(ref owner._asked);
                    return explanations;
                }
                finally
                {
                    Interlocked.Decrement(ref owner._inFlight);
                }
            }
        }
    }
}
