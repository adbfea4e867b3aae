using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;
using Wms.Testing;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.Lifecycle;

/// <summary>
/// A taskforce's status history, through the TMS's own status reports: every change is kept in order, a repeat
/// adds nothing, both generations read the same, and an unknown taskforce is a 404.
/// </summary>
public abstract class StatusHistoryTests
{
    protected abstract StorageMode Mode { get; }

    [Fact]
    public async Task EachReportedChangeIsReadBackOldestFirstAndRepeatsAddNothing()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var created = await host.CreateStartableAsync(SimpleWorkflow(Alpha));
        var uuid = TaskforceUuids(created).Single();
        await host.SubmitAsync(uuid);
        var (c1, c2, c3) = (TmsSamples.CompoundStatuses(1), TmsSamples.CompoundStatuses(2), TmsSamples.CompoundStatuses(3));
        var (e1, e2) = (TmsSamples.TopTaskErrors(1), TmsSamples.TopTaskErrors(2));

        await ReportAsync(host, uuid, c1, null);
        await ReportAsync(host, uuid, c1, null);            // a repeat: nothing new
        await ReportAsync(host, uuid, c2, e1);
        await ReportAsync(host, uuid, null, e2);            // the errors alone change
        await ReportAsync(host, uuid, c2, e2);              // a repeat again
        await ReportAsync(host, uuid, c3, null);

        var history = await WaitForHistoryAsync(host, uuid, 4);
        var expected = new[] { (Json(c1), new JsonObject()), (Json(c2), Json(e1)), (Json(c2), Json(e2)), (Json(c3), Json(e2)) };
        Assert.Equal(expected.Length, history.Count);
        foreach (var ((compound, errors), entry) in expected.Zip(history))
        {
            AssertJson(compound, entry!["compound_statuses"]);
            AssertJson(errors, entry["top_task_errors"]);
        }
        var timestamps = history.Select(e => e!["timestamp"]!.GetValue<double>()).ToList();
        Assert.Equal(timestamps.Order(), timestamps);
        var reported = (await host.User.TaskforceAsync(uuid))["phase_change_log"]!.AsArray()
            .Select(e => e!["timestamp"]!.GetValue<double>()).Last();
        Assert.True(timestamps[0] >= reported, "an entry is stamped when its report is received, after the submit");

        // Both generations answer the same, and the taskforce itself is answered as before, without its history.
        var v1 = await host.User.GetAsync($"v1/taskforces/{uuid}/status-history");
        Assert.Equal(200, v1.Status);
        AssertJson(await HistoryAnswerAsync(host, uuid), v1.Body);
        Assert.Null((await host.User.TaskforceAsync(uuid))["history"]);
    }

    [Fact]
    public async Task AKnownTaskforceNotYetReportedOnHasAnEmptyHistory()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var created = await host.CreateStartableAsync(SimpleWorkflow(Alpha));
        var uuid = TaskforceUuids(created).Single();

        AssertJson(new JsonObject { ["taskforce_uuid"] = uuid, ["history"] = new JsonArray() },
            await HistoryAnswerAsync(host, uuid));
    }

    [Fact]
    public async Task AnUnknownTaskforceIsNotFound()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var created = await host.CreateStartableAsync(SimpleWorkflow(Alpha));
        var unknownShaped = TaskforceUuids(created).Single()[..^8] + "00000000";

        foreach (var generation in new[] { "v0", "v1" })
        {
            foreach (var unknown in new[] { unknownShaped, "not-a-taskforce" })
            {
                (await host.User.GetAsync($"{generation}/taskforces/{unknown}/status-history"))
                    .AssertError(404, $"no taskforce found with uuid: {unknown}");
            }
        }
    }

    [Fact]
    public async Task WithHistoryOffAKnownTaskforceHasAnEmptyHistoryAndAnUnknownOneIsNotFound()
    {
        await using var host = await LifecycleHost.StartAsync(Mode, s => s["WMS_STATUS_HISTORY"] = "false");
        var created = await host.CreateStartableAsync(SimpleWorkflow(Alpha));
        var uuid = TaskforceUuids(created).Single();
        await host.SubmitAsync(uuid);
        await ReportAsync(host, uuid, TmsSamples.CompoundStatuses(1), TmsSamples.TopTaskErrors(1));

        // The report itself is applied as ever.
        AssertJson(Json(TmsSamples.CompoundStatuses(1)), (await host.User.TaskforceAsync(uuid))["compound_statuses"]);
        AssertJson(new JsonObject { ["taskforce_uuid"] = uuid, ["history"] = new JsonArray() },
            await HistoryAnswerAsync(host, uuid));
        var unknown = uuid[..^8] + "00000000";
        (await host.User.GetAsync($"v0/taskforces/{unknown}/status-history"))
            .AssertError(404, $"no taskforce found with uuid: {unknown}");
    }

    private static async Task ReportAsync(
        LifecycleHost host, string uuid, Dictionary<string, Dictionary<string, int>>? compound,
        Dictionary<string, int>? errors)
    {
        var answer = await host.Alpha.SendStatusesAsync(
            compound is null ? null : new Dictionary<string, Dictionary<string, Dictionary<string, int>>> { [uuid] = compound },
            errors is null ? null : new Dictionary<string, Dictionary<string, int>> { [uuid] = errors });
        Assert.Equal(200, answer.StatusCode);
    }

    private static async Task<JsonNode> HistoryAnswerAsync(LifecycleHost host, string uuid)
    {
        var answer = await host.User.GetAsync($"v0/taskforces/{uuid}/status-history");
        Assert.Equal(200, answer.Status);
        Assert.Equal(uuid, Text(answer.Object["taskforce_uuid"]));
        return answer.Body!;
    }

    /// <summary>
    /// The history once it holds <paramref name="count"/> entries: entries are written after the report's answer,
    /// in groups, so they appear shortly after it.
    /// </summary>
    private static async Task<JsonArray> WaitForHistoryAsync(LifecycleHost host, string uuid, int count)
    {
        JsonArray history = [];
        var reached = await Poll.UntilAsync(async () =>
        {
            history = (await HistoryAnswerAsync(host, uuid))["history"]!.AsArray();
            return history.Count >= count;
        }, LifecycleHost.Deadline);
        Assert.True(reached, $"the history never held {count} entries: {history.ToJsonString()}");
        return history;
    }

    private static JsonNode Json<T>(T value) => System.Text.Json.JsonSerializer.SerializeToNode(value)!;
}

public sealed class StatusHistoryTestsInMemory : StatusHistoryTests
{
    protected override StorageMode Mode => StorageMode.Memory;
}

public sealed class StatusHistoryTestsOnPostgres : StatusHistoryTests
{
    protected override StorageMode Mode => StorageMode.Postgres;
}
