using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Wms.Testing;

namespace Wms.Durability.Tests;

/// <summary>kill -9 the host at awkward moments; after a restart nothing that was answered is lost or torn.</summary>
public sealed class KillTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task EveryAnsweredWorkflowSurvivesAKillDuringSubmissions()
    {
        var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        await using var silo = new SiloProcess(database);
        await silo.StartAsync();

        var answered = new ConcurrentDictionary<string, JsonObject>();
        using var stop = new CancellationTokenSource();
        // POSTs on their way now, and those sent before the process was gone that never got an answer: the kill must
        // hit work in flight.
        var inFlight = 0;
        var cutShort = 0;
        var killedAt = long.MaxValue;
        var submitters = Enumerable.Range(0, 4).Select(s => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var sentAt = Stopwatch.GetTimestamp();
                Interlocked.Increment(ref inFlight);
                try
                {
                    using var response = await silo.Http.PostAsJsonAsync("v0/workflows", WorkflowShapes.Request(n), stop.Token);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
                        answered[created["workflow"]!["workflow_id"]!.GetValue<string>()] = created;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // The host is gone: a POST without an answer may or may not have created a (whole) workflow.
                    if (sentAt < Interlocked.Read(ref killedAt))
                    {
                        Interlocked.Increment(ref cutShort);
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref inFlight);
                }
            }
        })).ToList();
        var killing = false;
        var checks = 0;
        var checker = Task.Run(async () =>
        {
            while (!Volatile.Read(ref killing))
            {
                try
                {
                    await WorkflowShapes.AssertNothingHalfCreatedAsync(silo.Http);
                    checks++;
                }
                catch (Exception e) when (Volatile.Read(ref killing) && e is not Xunit.Sdk.XunitException)
                {
                    // The kill cut this check short; what it had seen was whole.
                }
            }
        });

        Assert.True(await Poll.UntilAsync(() => answered.Count >= 30 && Volatile.Read(ref inFlight) > 0, Deadline), silo.Output);
        Volatile.Write(ref killing, true);
        await silo.KillAsync();
        // Sent before the process was gone and never answered: cut short by the kill.
        Interlocked.Exchange(ref killedAt, Stopwatch.GetTimestamp());
        await stop.CancelAsync();
        await Task.WhenAll(submitters);
        await checker;

        Assert.True(checks > 0, "the consistency checker never completed a pass before the kill");
        Assert.True(cutShort > 0, "no submission was in flight when the silo was killed");

        await silo.StartAsync();
        await WorkflowShapes.AssertNothingHalfCreatedAsync(silo.Http);
        foreach (var (id, created) in answered)
        {
            var stored = await WorkflowShapes.FindAsync(silo.Http, "taskforces", new JsonObject { ["workflow_id"] = id },
                "taskforce_uuid");
            Assert.Equal(
                created["taskforces"]!.AsArray().Select(t => t!["taskforce_uuid"]!.GetValue<string>()).Order(),
                stored.Select(t => t!["taskforce_uuid"]!.GetValue<string>()).Order());
        }
        // Every answered workflow goes on by itself: activated, launched, offered to the TMS.
        Assert.True(await Poll.UntilAsync(async () =>
        {
            var waiting = await WorkflowShapes.FindAsync(silo.Http, "taskforces",
                new JsonObject { ["phase"] = new JsonObject { ["$ne"] = "pending-starter" } }, "workflow_id");
            return waiting.All(t => !answered.ContainsKey(t!["workflow_id"]!.GetValue<string>()));
        }, Deadline), silo.Output);
        var logs = await WorkflowShapes.FindAsync(silo.Http, "taskforces", [], "workflow_id", "phase_change_log");
        foreach (var tf in logs.Where(t => answered.ContainsKey(t!["workflow_id"]!.GetValue<string>())))
        {
            Assert.Equal(["pre-mq-activation", "pre-launch", "pending-starter"],
                tf!["phase_change_log"]!.AsArray().Select(e => e!["target_phase"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task StatusesStreamingThroughAKillAreNeverRolledBack()
    {
        var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        await using var silo = new SiloProcess(database);
        await silo.StartAsync();
        var uuids = new List<string>();
        for (var n = 0; n < 10; n++)
        {
            using var response = await silo.Http.PostAsJsonAsync("v0/workflows", WorkflowShapes.Request(n));
            var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            uuids.AddRange(created["taskforces"]!.AsArray().Select(t => t!["taskforce_uuid"]!.GetValue<string>()));
        }
        var tmsAlpha = new SimulatedTms(silo.Http, "COLLECTOR1", "SCHEDD1", V0Schema.Shared);
        var tmsBeta = new SimulatedTms(silo.Http, "COLLECTOR2", "SCHEDD2", V0Schema.Shared);
        var submitted = new HashSet<string>();
        Assert.True(await Poll.UntilAsync(async () =>
        {
            submitted.UnionWith(await tmsAlpha.RunStarterCycleAsync());
            submitted.UnionWith(await tmsBeta.RunStarterCycleAsync());
            return submitted.Count == uuids.Count;
        }, Deadline), silo.Output);

        var acknowledged = 0;
        var sent = 0;
        using var stop = new CancellationTokenSource();
        var streamer = Task.Run(async () =>
        {
            for (var round = 1; !stop.IsCancellationRequested; round++)
            {
                var body = new JsonObject
                {
                    ["compound_statuses_by_taskforce"] = new JsonObject(uuids.Select(u =>
                        KeyValuePair.Create(u, (JsonNode?)new JsonObject
                        {
                            ["RUNNING"] = new JsonObject { ["Tasking"] = round },
                        }))),
                };
                Volatile.Write(ref sent, round);
                try
                {
                    using var response = await silo.Http.PostAsJsonAsync("v0/tms/statuses/taskforces", body, stop.Token);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        Volatile.Write(ref acknowledged, round);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return;
                }
            }
        });
        Assert.True(await Poll.UntilAsync(() => Volatile.Read(ref acknowledged) >= 5, Deadline), silo.Output);
        await silo.KillAsync();
        await streamer;
        await stop.CancelAsync();

        await silo.StartAsync();
        var stored = await WorkflowShapes.FindAsync(silo.Http, "taskforces", [], "taskforce_uuid", "phase",
            "compound_statuses");
        Assert.Equal(uuids.Count, stored.Count);
        foreach (var tf in stored)
        {
            Assert.Equal("condor-submit", tf!["phase"]!.GetValue<string>());
            var round = tf["compound_statuses"]!["RUNNING"]!["Tasking"]!.GetValue<int>();
            Assert.InRange(round, acknowledged, sent);
        }
    }
}
