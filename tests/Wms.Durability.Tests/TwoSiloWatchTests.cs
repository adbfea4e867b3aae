using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Wms.Testing;
using Xunit.Abstractions;

namespace Wms.Durability.Tests;

/// <summary>
/// Live watch across two silo processes on PostgreSQL: a watcher on one silo is told of every change made through
/// the other (users' actions and the TMS's reports), and when the other silo dies, the watchers heal by themselves:
/// every later change still reaches them, as an event or in a fresh snapshot.
/// </summary>
public sealed class TwoSiloWatchTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static readonly Dictionary<string, string> Settings = new()
    {
        // Watchers and directories renew every second, so that healing after a silo died is quick to see.
        ["WMS_WATCH_REFRESH"] = "1",
    };

    [Fact]
    public async Task AWatcherOnOneSiloIsToldOfEveryChangeMadeThroughTheOther()
    {
        var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        await using var watching = new SiloProcess(database, Settings);
        await using var acting = new SiloProcess(database, Settings);
        await watching.StartAsync();
        await acting.StartAsync();

        // Several workflows, so that their grains live on both silos.
        var workflows = new List<(string Id, List<string> Taskforces)>();
        for (var n = 0; n < 4; n++)
        {
            workflows.Add(await CreateAsync(acting, n));
        }
        await UntilAllPendingStarterAsync(acting, workflows.SelectMany(w => w.Taskforces));
        var streams = new List<EventStreamClient>();
        try
        {
            foreach (var (workflow, i) in workflows.Select((w, i) => (w, i)))
            {
                streams.Add(await OpenAsync(watching, workflow.Id, i % 2 == 0 ? "v0" : "v1"));
            }

            var alpha = new SimulatedTms(acting.Http, "COLLECTOR1", "SCHEDD1", V0Schema.Shared, 10_001);
            var beta = new SimulatedTms(acting.Http, "COLLECTOR2", "SCHEDD2", V0Schema.Shared, 20_001);
            foreach (var (id, taskforces) in workflows)
            {
                var (a, b) = (taskforces[0], taskforces[1]);
                Ok(await alpha.SubmitAsync(a, alpha.AllocateClusterId(), 2));
                Ok(await beta.SubmitAsync(b, beta.AllocateClusterId(), 2));
                Ok(await alpha.SendStatusesAsync(
                    new Dictionary<string, Dictionary<string, Dictionary<string, int>>> { [a] = TmsSamples.CompoundStatuses(1) },
                    new Dictionary<string, Dictionary<string, int>> { [a] = TmsSamples.TopTaskErrors(1) }));
                using (var finished = await acting.Http.PostAsJsonAsync($"v0/workflows/{id}/actions/finished", new JsonObject()))
                {
                    Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
                }
                Ok(await alpha.RmAsync(a));
                Ok(await beta.RmAsync(b));
                Ok(await alpha.CompleteAsync(a, 1_700_000_000));
                Ok(await beta.CompleteAsync(b, 1_700_000_000));
            }

            foreach (var ((id, taskforces), stream) in workflows.Zip(streams))
            {
                var events = await ReadUntilCompleteAsync(stream, taskforces);
                Assert.DoesNotContain(events, e => e.Name == "snapshot");
                Assert.Equal(Enumerable.Range(0, events.Count).Select(i => events[0].Sequence + i), events.Select(e => e.Sequence));
                Assert.Equal(
                    ["phase pending-starter>condor-submit", "status", "phase condor-submit>pending-stopper",
                        "phase pending-stopper>condor-rm", "phase condor-rm>condor-complete"],
                    ChangesOf(events, taskforces[0]));
                Assert.Equal(
                    ["phase pending-starter>condor-submit", "phase condor-submit>pending-stopper",
                        "phase pending-stopper>condor-rm", "phase condor-rm>condor-complete"],
                    ChangesOf(events, taskforces[1]));
                var deactivated = Assert.Single(events, e => e.Name == "workflow");
                Assert.Equal(("deactivated", "FINISHED", id), (Text(deactivated.Json["change"]),
                    Text(deactivated.Json["workflow"]!["deactivated"]), Text(deactivated.Json["workflow"]!["workflow_id"])));
            }
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task WhenTheOtherSiloDiesTheWatchersHealAndMissNoLaterChange()
    {
        var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        await using var staying = new SiloProcess(database, Settings);
        await using var dying = new SiloProcess(database, Settings);
        await staying.StartAsync();
        await dying.StartAsync();
        Assert.True(await Poll.UntilAsync(async () => await ActiveSilosAsync(staying) == 2, Deadline), "the silos never met");

        // Enough workflows that some of their events grains, and likely the registry, live on the silo that dies.
        var workflows = new List<(string Id, List<string> Taskforces)>();
        for (var n = 0; n < 8; n++)
        {
            workflows.Add(await CreateAsync(n % 2 == 0 ? staying : dying, n));
        }
        await UntilAllPendingStarterAsync(staying, workflows.SelectMany(w => w.Taskforces));
        var streams = new List<EventStreamClient>();
        try
        {
            foreach (var (id, _) in workflows)
            {
                streams.Add(await OpenAsync(staying, id, "v0"));
            }

            await dying.KillAsync();
            Assert.True(await Poll.UntilAsync(async () => await ActiveSilosAsync(staying) == 1, Deadline),
                "the survivor never declared the other silo dead");

            var alpha = new SimulatedTms(staying.Http, "COLLECTOR1", "SCHEDD1", V0Schema.Shared, 30_001);
            foreach (var (_, taskforces) in workflows)
            {
                Ok(await alpha.SubmitAsync(taskforces[0], alpha.AllocateClusterId(), 2));
            }

            var restarted = 0;
            foreach (var ((_, taskforces), stream) in workflows.Zip(streams))
            {
                // The submit comes as an event, or, where the workflow's events started again elsewhere, in the
                // fresh snapshot the watcher sends its client; events go on after it.
                var events = await stream.ReadUntilAsync(e => Submitted(e, taskforces[0]), Deadline);
                restarted += events.Count(e => e.Name == "snapshot" && Text(e.Json["cause"]) == "restarted");
            }
            foreach (var (_, taskforces) in workflows)
            {
                Ok(await alpha.RmAsync(taskforces[0]));
            }
            foreach (var ((_, taskforces), stream) in workflows.Zip(streams))
            {
                var next = (await stream.ReadUntilAsync(e => e.Name == "taskforce" && Text(e.Json["phase"]) == "condor-rm", Deadline))[^1];
                Assert.Equal(taskforces[0], Text(next.Json["taskforce_uuid"]));
            }
            // For the record (test output): how many streams started again from a snapshot.
            output.WriteLine($"{restarted} of {workflows.Count} streams were sent a fresh snapshot after the silo died");
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }

    private static bool Submitted(ServerSentEvent e, string uuid) => e.Name switch
    {
        "taskforce" => Text(e.Json["taskforce_uuid"]) == uuid && Text(e.Json["phase"]) == "condor-submit",
        "snapshot" => e.Json["taskforces"]!.AsArray().Any(t => Text(t!["taskforce_uuid"]) == uuid && Text(t["phase"]) == "condor-submit"),
        _ => false,
    };

    private static async Task<(string Id, List<string> Taskforces)> CreateAsync(SiloProcess silo, int n)
    {
        using var response = await silo.Http.PostAsJsonAsync("v0/workflows", WorkflowShapes.Request(n));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (Text(created["workflow"]!["workflow_id"])!,
            [.. created["taskforces"]!.AsArray().Select(t => Text(t!["taskforce_uuid"])!)]);
    }

    private static async Task UntilAllPendingStarterAsync(SiloProcess silo, IEnumerable<string> uuids)
    {
        var wanted = uuids.ToHashSet();
        Assert.True(await Poll.UntilAsync(async () =>
        {
            var found = await WorkflowShapes.FindAsync(silo.Http, "taskforces", [], "taskforce_uuid", "phase");
            return found.Count(t => wanted.Contains(Text(t!["taskforce_uuid"])!) && Text(t!["phase"]) == "pending-starter") == wanted.Count;
        }, Deadline, TimeSpan.FromMilliseconds(200)), "the taskforces never reached pending-starter");
    }

    private static async Task<EventStreamClient> OpenAsync(SiloProcess silo, string workflowId, string generation)
    {
        var stream = await EventStreamClient.OpenAsync(silo.Http, $"{generation}/workflows/{workflowId}/events");
        Assert.Equal(HttpStatusCode.OK, stream.Status);
        var first = await stream.NextAsync(Deadline);
        Assert.Equal("snapshot", first?.Name);
        return stream;
    }

    /// <summary>The events up to the completion of every one of <paramref name="taskforces"/>.</summary>
    private static async Task<List<ServerSentEvent>> ReadUntilCompleteAsync(EventStreamClient stream, List<string> taskforces)
    {
        var left = taskforces.ToHashSet();
        return await stream.ReadUntilAsync(e =>
        {
            if (e.Name == "taskforce" && Text(e.Json["phase"]) == "condor-complete")
            {
                left.Remove(Text(e.Json["taskforce_uuid"])!);
            }
            return left.Count == 0;
        }, Deadline);
    }

    private static List<string> ChangesOf(List<ServerSentEvent> events, string uuid) =>
        [.. events.Where(e => e.Name == "taskforce" && Text(e.Json["taskforce_uuid"]) == uuid)
            .Select(e => Text(e.Json["change"]) == "phase"
                ? $"phase {Text(e.Json["previous_phase"])}>{Text(e.Json["phase"])}"
                : Text(e.Json["change"])!)];

    private static async Task<int> ActiveSilosAsync(SiloProcess silo)
    {
        try
        {
            using var answer = await silo.Http.GetAsync("readyz");
            var body = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
            return body["checks"]!["silo"]!["data"]!["active_silos"]!.GetValue<int>();
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    private static void Ok(TmsResponse response) => Assert.Equal(200, response.StatusCode);

    private static string? Text(JsonNode? node) => node?.GetValue<string>();
}
