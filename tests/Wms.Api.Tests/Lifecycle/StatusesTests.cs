using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;
using Wms.Testing;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.Lifecycle;

public abstract class StatusesTests
{
    protected abstract StorageMode Mode { get; }

    [Fact]
    public async Task UnknownTaskforcesAreReportedFirstAndTheKnownOnesAreStillUpdated()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var created = await host.CreateStartableAsync(SimpleWorkflow(Alpha, Beta));
        var uuids = TaskforceUuids(created);
        var (known1, known2) = (uuids[0], uuids[1]);
        var unknownShaped = known1[..^8] + "00000000";
        const string unknownOther = "not-a-taskforce";

        // Errors for one known and one unknown; compound statuses for both known and another unknown.
        var errors = new Dictionary<string, Dictionary<string, int>>
        {
            [known1] = TmsSamples.TopTaskErrors(1),
            [unknownShaped] = TmsSamples.TopTaskErrors(2),
        };
        var compound = new Dictionary<string, Dictionary<string, Dictionary<string, int>>>
        {
            [known1] = TmsSamples.CompoundStatuses(1),
            [known2] = TmsSamples.CompoundStatuses(2),
            [unknownOther] = TmsSamples.CompoundStatuses(3),
        };
        var answer = await host.Alpha.SendStatusesAsync(compound, errors);
        Assert.Equal(207, answer.StatusCode);
        var results = ((JsonArray)answer.Body!["results"]!).Select(r => (JsonObject)r!).ToList();
        Assert.Equal(4, results.Count);
        var failed = results.Take(2).ToList();
        Assert.Equal(
            new[] { unknownOther, unknownShaped }.Order(StringComparer.Ordinal),
            failed.Select(r => Text(r["uuid"])).Order(StringComparer.Ordinal));
        Assert.All(failed, r => AssertJson(
            new JsonObject { ["uuid"] = Text(r["uuid"]), ["status"] = "failed", ["error"] = "no taskforce found with uuid" }, r));
        Assert.Equal(
            new[] { known1, known2 }.Order(StringComparer.Ordinal),
            results.Skip(2).Select(r => Text(r["uuid"])).Order(StringComparer.Ordinal));
        Assert.All(results.Skip(2), r => AssertJson(new JsonObject { ["uuid"] = Text(r["uuid"]), ["status"] = "updated" }, r));

        var first = await host.User.TaskforceAsync(known1);
        AssertJson(JsonSerialized(TmsSamples.CompoundStatuses(1)), first["compound_statuses"]);
        AssertJson(JsonSerialized(TmsSamples.TopTaskErrors(1)), first["top_task_errors"]);
        var second = await host.User.TaskforceAsync(known2);
        AssertJson(JsonSerialized(TmsSamples.CompoundStatuses(2)), second["compound_statuses"]);
        AssertJson(new JsonObject(), second["top_task_errors"]);

        // Only compound statuses this time, all known: 200, and the errors stay as they were.
        var allKnown = await host.Beta.SendStatusesAsync(
            new Dictionary<string, Dictionary<string, Dictionary<string, int>>>
            {
                [known1] = TmsSamples.CompoundStatuses(4),
                [known2] = TmsSamples.CompoundStatuses(5),
            },
            null);
        Assert.Equal(200, allKnown.StatusCode);
        var allResults = ((JsonArray)allKnown.Body!["results"]!).Select(r => r!.ToJsonString()).Order().ToList();
        Assert.Equal(
            new[] { known1, known2 }.Select(u => new JsonObject { ["uuid"] = u, ["status"] = "updated" }.ToJsonString()).Order(),
            allResults);
        first = await host.User.TaskforceAsync(known1);
        AssertJson(JsonSerialized(TmsSamples.CompoundStatuses(4)), first["compound_statuses"]);
        AssertJson(JsonSerialized(TmsSamples.TopTaskErrors(1)), first["top_task_errors"]);
        AssertJson(JsonSerialized(TmsSamples.CompoundStatuses(5)), (await host.User.TaskforceAsync(known2))["compound_statuses"]);
        // Statuses never move a taskforce.
        Assert.Equal(PendingStarter, PhaseOf(first));
        AssertLog(first, UpToPendingStarter);
    }

    private static JsonNode JsonSerialized<T>(T value) => System.Text.Json.JsonSerializer.SerializeToNode(value)!;
}

public sealed class StatusesTestsInMemory : StatusesTests
{
    protected override StorageMode Mode => StorageMode.Memory;
}

public sealed class StatusesTestsOnPostgres : StatusesTests
{
    protected override StorageMode Mode => StorageMode.Postgres;
}
