using Wms.Api.Tests.Infrastructure;
using Wms.Api.Tests.Lifecycle;
using Wms.Testing;
using static Wms.Api.Tests.Lifecycle.Flow;
using static Wms.Api.Tests.Watch.Watching;

namespace Wms.Api.Tests.Watch;

/// <summary>
/// A client that drops its connection and comes back with its last event's id (the <c>Last-Event-ID</c> header, or
/// <c>?last_event_id=</c>) gets every change it missed exactly once, in order, and no snapshot; an id of another epoch,
/// or one this service never gave, gets a snapshot that says why.
/// </summary>
public abstract class EventsResumeTests
{
    protected abstract StorageMode Mode { get; }

    [Fact]
    public async Task AResumeAfterADroppedConnectionLosesNothingAndRepeatsNothing()
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var created = await host.CreateStartableAsync(Workflow([Task([Alpha, Beta], ["in"], ["out"])]));
        var id = WorkflowId(created);
        var (alpha, beta) = (TaskforceUuids(created)[0], TaskforceUuids(created)[1]);
        var (first, _) = await OpenWithSnapshotAsync(host.Server.Http, id);
        ServerSentEvent seen;
        await using (first)
        {
            await host.SubmitAsync(alpha);
            seen = (await first.ReadUntilAsync(e => MovedTo(e, CondorSubmit), Deadline))[^1];
        }

        // Changes while nobody is connected.
        await host.SubmitAsync(beta);
        for (var round = 1; round <= 3; round++)
        {
            Assert.Equal(200, (await host.Alpha.SendStatusesAsync(
                new Dictionary<string, Dictionary<string, Dictionary<string, int>>> { [alpha] = TmsSamples.CompoundStatuses(round) },
                null)).StatusCode);
        }
        Assert.Equal(200, (await host.User.AbortAsync(id)).Status);

        await using var resumed = await EventStreamClient.OpenAsync(host.Server.Http, EventsPath(id), seen.Id);
        var missed = await resumed.ReadUntilAsync(e => IsWorkflowChange(e, "deactivated"), Deadline);

        Assert.DoesNotContain(missed, e => e.Name == "snapshot");
        Assert.Equal(Enumerable.Range(1, missed.Count).Select(i => seen.Sequence + i), missed.Select(e => e.Sequence));
        Assert.All(missed, e => Assert.Equal(seen.Epoch, e.Epoch));
        Assert.Equal(
            ["taskforce phase pending-starter>condor-submit", "taskforce status", "taskforce status", "taskforce status",
                "taskforce phase condor-submit>pending-stopper", "taskforce phase condor-submit>pending-stopper",
                "workflow deactivated"],
            missed.Select(Describe));
        Assert.Equal(beta, Text(missed[0].Json["taskforce_uuid"]));
        Assert.Equal([4L, 5, 6], missed.Skip(1).Take(3).Select(e => e.Json["compound_statuses"]!["RUNNING"]!["Tasking"]!.GetValue<long>()));

        // Live again: the next change follows at once, numbered after the last.
        Assert.Equal(200, (await host.Alpha.RmAsync(alpha)).StatusCode);
        var next = (await resumed.ReadUntilAsync(e => MovedTo(e, CondorRm), Deadline))[^1];
        Assert.Equal(missed[^1].Sequence + 1, next.Sequence);

        // The query argument resumes too, for clients that cannot set a header.
        await using var byQuery = await EventStreamClient.OpenAsync(host.Server.Http,
            EventsPath(id) + "?last_event_id=" + Uri.EscapeDataString(missed[^2].Id!));
        var again = await byQuery.ReadUntilAsync(e => MovedTo(e, CondorRm), Deadline);
        Assert.Equal([missed[^1].Id, next.Id], again.Select(e => e.Id));
    }

    [Theory]
    [InlineData("not-an-id", "unknown-id")]
    [InlineData("0123456789abcdef-1", "other-epoch")]
    public async Task AnIdThatCannotBeResumedGetsASnapshotThatSaysWhy(string lastEventId, string cause)
    {
        await using var host = await LifecycleHost.StartAsync(Mode);
        var created = await host.CreateStartableAsync(SimpleWorkflow(Alpha));
        var id = WorkflowId(created);

        var (stream, snapshot) = await OpenWithSnapshotAsync(host.Server.Http, id, lastEventId: lastEventId);
        await using var _ = stream;

        Assert.Equal(cause, Text(snapshot["cause"]));
        Assert.False(snapshot["resumed"]!.GetValue<bool>());
        Assert.Equal(PendingStarter, Text(snapshot["taskforces"]![0]!["phase"]));
    }

    [Fact]
    public async Task AnIdAheadOfTheEventsOrTooFarBehindGetsASnapshot()
    {
        await using var host = await LifecycleHost.StartAsync(Mode, s => s["WMS_WATCH_BUFFER"] = "3");
        var created = await host.CreateStartableAsync(SimpleWorkflow(Alpha));
        var id = WorkflowId(created);
        var uuid = TaskforceUuids(created).Single();
        var (stream, _) = await OpenWithSnapshotAsync(host.Server.Http, id);
        await using (stream)
        {
            await host.SubmitAsync(uuid);
            var submitted = (await stream.ReadUntilAsync(e => MovedTo(e, CondorSubmit), Deadline))[^1];

            var ahead = $"{submitted.Epoch}-{submitted.Sequence + 1}";
            var (fromAhead, snapshot) = await OpenWithSnapshotAsync(host.Server.Http, id, lastEventId: ahead);
            await using (fromAhead)
            {
                Assert.Equal("unknown-id", Text(snapshot["cause"]));
            }

            for (var round = 1; round <= 4; round++)
            {
                Assert.Equal(200, (await host.Alpha.SendStatusesAsync(
                    new Dictionary<string, Dictionary<string, Dictionary<string, int>>> { [uuid] = TmsSamples.CompoundStatuses(round) },
                    null)).StatusCode);
            }
            await stream.ReadUntilAsync(e => e.Json["compound_statuses"]?["RUNNING"]?["Tasking"]?.GetValue<long>() == 7, Deadline);
            var (behind, tooOld) = await OpenWithSnapshotAsync(host.Server.Http, id, lastEventId: submitted.Id);
            await using (behind)
            {
                Assert.Equal("too-old", Text(tooOld["cause"]));
                Assert.Equal(7, tooOld["taskforces"]![0]!["compound_statuses"]!["RUNNING"]!["Tasking"]!.GetValue<long>());
            }
        }
    }
}

public sealed class EventsResumeTestsInMemory : EventsResumeTests
{
    protected override StorageMode Mode => StorageMode.Memory;
}

public sealed class EventsResumeTestsOnPostgres : EventsResumeTests
{
    protected override StorageMode Mode => StorageMode.Postgres;
}
