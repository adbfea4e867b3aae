using System.Text.Json.Nodes;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Query;
using static Wms.Storage.Postgres.Tests.Index.IndexDocs;

namespace Wms.Storage.Postgres.Tests.Index;

/// <summary>
/// What <c>/v1</c> reads from the index, case by case: the polls by schedd alone, launch order and paged finds.
/// Every case runs against each index (<see cref="MemoryV1IndexTests"/>, <see cref="PostgresV1IndexTests"/>), so
/// both give the same answers by construction rather than by a random draw.
/// </summary>
public abstract class V1IndexCases
{
    /// <summary>An index that holds nothing yet.</summary>
    protected abstract Task<IObjectIndex> EmptyIndexAsync();

    [Fact]
    public async Task ScheddStarterIsTaskforcePriorityThenFewestFailuresThenOldestWhateverTheCollector()
    {
        var index = await EmptyIndexAsync();
        const string s = "SCHEDD1";
        var old = Taskforce(Phase.PendingStarter, "COLLECTOR1", s, priority: 1, timestamp: 10, taskforcePriority: 50);
        var young = Taskforce(Phase.PendingStarter, "COLLECTOR1", s, priority: 99, timestamp: 20, taskforcePriority: 50);
        await index.WriteAsync(Batch(old, young));
        // The worker priority is no part of the /v1 order; the /v0 poll still goes by it.
        Assert.Equal(WireJson.ToUtf8(old), await index.NextPendingStarterAtScheddAsync(s, 2));
        Assert.Equal(young.TaskforceUuid, Uuid(await index.NextPendingStarterAsync("COLLECTOR1", s, 2)));

        // The taskforce's priority beats failures and age, and another collector's taskforce competes.
        var urgent = Taskforce(Phase.PendingStarter, "COLLECTOR2", s, priority: 1, timestamp: 30, submitFailures: 2,
            taskforcePriority: 60);
        await index.WriteAsync(Batch(urgent));
        Assert.Equal(urgent.TaskforceUuid, Uuid(await index.NextPendingStarterAtScheddAsync(s, 2)));
        Assert.Equal(young.TaskforceUuid, Uuid(await index.NextPendingStarterAsync("COLLECTOR1", s, 2)));

        // The retry limit; within it, fewer failures beat age.
        Assert.Equal(old.TaskforceUuid, Uuid(await index.NextPendingStarterAtScheddAsync(s, 1)));
        var oldFailed = old with { PhaseChangeLog = [.. old.PhaseChangeLog, Entry(Phase.CondorSubmit, false)] };
        await index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(oldFailed, 2)));
        Assert.Equal(young.TaskforceUuid, Uuid(await index.NextPendingStarterAtScheddAsync(s, 1)));
        Assert.Equal(young.TaskforceUuid, Uuid(await index.NextPendingStarterAtScheddAsync(s, 0)));
        Assert.Null(await index.NextPendingStarterAtScheddAsync(s, -1));
        var exhausted = Taskforce(Phase.PendingStarter, "COLLECTOR3", s, submitFailures: 3, taskforcePriority: 70);
        await index.WriteAsync(Batch(exhausted));
        Assert.Equal(urgent.TaskforceUuid, Uuid(await index.NextPendingStarterAtScheddAsync(s, 2)));
        Assert.Equal(exhausted.TaskforceUuid, Uuid(await index.NextPendingStarterAtScheddAsync(s, 3)));
        // Failed condor-rm attempts do not count against starting.
        var rmFailed = Taskforce(Phase.PendingStarter, "COLLECTOR1", s, rmFailures: 5, taskforcePriority: 65);
        await index.WriteAsync(Batch(rmFailed));
        Assert.Equal(rmFailed.TaskforceUuid, Uuid(await index.NextPendingStarterAtScheddAsync(s, 2)));

        // Equal on every key: the ordinal uuid order decides ("TF-B" < "TF-a" by code point), across collectors.
        var lower = Taskforce(Phase.PendingStarter, "COLLECTOR1", s, timestamp: 1, uuid: "TF-a", taskforcePriority: 200);
        var upper = Taskforce(Phase.PendingStarter, "COLLECTOR2", s, timestamp: 1, uuid: "TF-B", taskforcePriority: 200);
        await index.WriteAsync(Batch(lower, upper));
        Assert.Equal(WireJson.ToUtf8(upper), await index.NextPendingStarterAtScheddAsync(s, 2));

        // Only that schedd and that phase count.
        await index.WriteAsync(Batch(
            Taskforce(Phase.PendingStarter, "COLLECTOR1", "SCHEDD2", taskforcePriority: 1000),
            Taskforce(Phase.PreLaunch, "COLLECTOR1", s, taskforcePriority: 1000),
            Taskforce(Phase.CondorSubmit, "COLLECTOR2", s, taskforcePriority: 1000),
            Taskforce(Phase.PendingStopper, "COLLECTOR2", s, clusterId: 1, taskforcePriority: 1000)));
        Assert.Equal(upper.TaskforceUuid, Uuid(await index.NextPendingStarterAtScheddAsync(s, 2)));
        Assert.Null(await index.NextPendingStarterAtScheddAsync("nobody", 2));
        // The collector is not a schedd: no poll by schedd finds a taskforce by its collector's name.
        Assert.Null(await index.NextPendingStarterAtScheddAsync("COLLECTOR1", 2));

        // Leaving the phase leaves the selection.
        await index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(upper with { Phase = Phase.CondorSubmit }, 2)));
        Assert.Equal(lower.TaskforceUuid, Uuid(await index.NextPendingStarterAtScheddAsync(s, 2)));
    }

    [Fact]
    public async Task ScheddStopperIsTheOldestSubmittedTaskforceWhateverTheCollectorWithinTheRetryLimit()
    {
        var index = await EmptyIndexAsync();
        const string s = "SCHEDD1";
        var neverSubmitted = Taskforce(Phase.PendingStopper, "COLLECTOR1", s, timestamp: 1);
        var young = Taskforce(Phase.PendingStopper, "COLLECTOR2", s, timestamp: 20, clusterId: 2, taskforcePriority: 100);
        var old = Taskforce(Phase.PendingStopper, "COLLECTOR1", s, timestamp: 10, clusterId: 1, rmFailures: 2);
        var exhausted = Taskforce(Phase.PendingStopper, "COLLECTOR3", s, timestamp: 5, clusterId: 3, rmFailures: 3);
        var elsewhere = Taskforce(Phase.PendingStopper, "COLLECTOR1", "SCHEDD2", timestamp: 0, clusterId: 4);
        await index.WriteAsync(Batch(neverSubmitted, young, old, exhausted, elsewhere,
            Taskforce(Phase.CondorRm, "COLLECTOR1", s, timestamp: 0, clusterId: 5),
            Taskforce(Phase.PendingStarter, "COLLECTOR1", s, timestamp: 0, clusterId: 6)));

        // Oldest first; neither priority counts.
        Assert.Equal(WireJson.ToUtf8(old), await index.NextPendingStopperAtScheddAsync(s, 2));
        Assert.Equal(exhausted.TaskforceUuid, Uuid(await index.NextPendingStopperAtScheddAsync(s, 3)));
        Assert.Equal(young.TaskforceUuid, Uuid(await index.NextPendingStopperAtScheddAsync(s, 1)));
        Assert.Null(await index.NextPendingStopperAtScheddAsync(s, -1));
        Assert.Equal(elsewhere.TaskforceUuid, Uuid(await index.NextPendingStopperAtScheddAsync("SCHEDD2", 2)));
        Assert.Null(await index.NextPendingStopperAtScheddAsync("nobody", 2));
        // The /v0 poll stays within its collector.
        Assert.Equal(young.TaskforceUuid, Uuid(await index.NextPendingStopperAsync("COLLECTOR2", s, 2)));

        var tieA = Taskforce(Phase.PendingStopper, "COLLECTOR1", s, timestamp: 0, clusterId: 7, uuid: "TF-b");
        var tieB = Taskforce(Phase.PendingStopper, "COLLECTOR2", s, timestamp: 0, clusterId: 8, uuid: "TF-C");
        await index.WriteAsync(Batch(tieA, tieB));
        Assert.Equal(tieB.TaskforceUuid, Uuid(await index.NextPendingStopperAtScheddAsync(s, 2)));
    }

    [Fact]
    public async Task LaunchOrderIsTaskforcePriorityThenWorkerPriorityThenAgeThenUuid()
    {
        var index = await EmptyIndexAsync();
        var a = Taskforce(Phase.PreLaunch, priority: 9, timestamp: 1, taskforcePriority: 10);
        var b = Taskforce(Phase.PreLaunch, priority: 1, timestamp: 5, taskforcePriority: 50, collector: "COLLECTOR2");
        var c = Taskforce(Phase.PreLaunch, priority: 5, timestamp: 9, taskforcePriority: 50, schedd: "SCHEDD9");
        var d = Taskforce(Phase.PreLaunch, priority: 5, timestamp: 3, taskforcePriority: 50, uuid: "TF-d");
        var e = Taskforce(Phase.PreLaunch, priority: 5, timestamp: 3, taskforcePriority: 50, uuid: "TF-D");
        var added = Taskforce(Phase.PreLaunch, priority: 0, timestamp: 100, taskforcePriority: 150);
        var other = Taskforce(Phase.PendingStarter, priority: 100, timestamp: 0, taskforcePriority: 1000);
        await index.WriteAsync(Batch(a, b, c, d, e, added, other));

        string[] expected = [added.TaskforceUuid, e.TaskforceUuid, d.TaskforceUuid, c.TaskforceUuid, b.TaskforceUuid,
            a.TaskforceUuid];
        Assert.Equal(expected, await index.LaunchCandidatesAsync(100));
        Assert.Equal(expected[..2], await index.LaunchCandidatesAsync(2));
        Assert.Empty(await index.LaunchCandidatesAsync(0));

        await index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(added with { Phase = Phase.PendingStarter }, 2)));
        Assert.Equal(expected[1..], await index.LaunchCandidatesAsync(100));
    }

    [Fact]
    public async Task LaunchPositionsFollowTheLaunchOrderAndCountTheWholeQueue()
    {
        var index = await EmptyIndexAsync();
        var none = await index.LaunchPositionsAsync(["TF-nobody"]);
        Assert.Equal((0, null), (none.Length, none.Of("TF-nobody")));

        var low = Taskforce(Phase.PreLaunch, priority: 9, timestamp: 1, taskforcePriority: 10);
        var mid = Taskforce(Phase.PreLaunch, priority: 5, timestamp: 3, taskforcePriority: 50, uuid: "TF-d");
        var midUpper = Taskforce(Phase.PreLaunch, priority: 5, timestamp: 3, taskforcePriority: 50, uuid: "TF-D");
        var top = Taskforce(Phase.PreLaunch, priority: 0, timestamp: 100, taskforcePriority: 150);
        var started = Taskforce(Phase.PendingStarter, priority: 100, timestamp: 0, taskforcePriority: 1000);
        await index.WriteAsync(Batch(low, mid, midUpper, top, started));

        // Positions are those of LaunchCandidatesAsync, 1-based; one not in the queue has none.
        var order = await index.LaunchCandidatesAsync(100);
        var asked = new[] { low.TaskforceUuid, mid.TaskforceUuid, started.TaskforceUuid, "TF-nobody" };
        var positions = await index.LaunchPositionsAsync(asked);
        Assert.Equal(4, positions.Length);
        Assert.Equal(new Dictionary<string, int>
        {
            [low.TaskforceUuid] = order.ToList().IndexOf(low.TaskforceUuid) + 1,
            [mid.TaskforceUuid] = order.ToList().IndexOf(mid.TaskforceUuid) + 1,
        }, positions.Positions);
        Assert.Equal((4, 3), (positions.Of(low.TaskforceUuid), positions.Of(mid.TaskforceUuid)));
        Assert.Null(positions.Of(started.TaskforceUuid));
        Assert.Equal(4, (await index.LaunchPositionsAsync([])).Length);

        // The head leaves the queue: everyone behind it moves up.
        await index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(top with { Phase = Phase.PendingStarter }, 2)));
        var moved = await index.LaunchPositionsAsync([low.TaskforceUuid]);
        Assert.Equal((3, 3), (moved.Length, moved.Of(low.TaskforceUuid)));
    }

    [Fact]
    public async Task PagesGiveEveryMatchingObjectOnceInOrderHoweverTheyAreCut()
    {
        var index = await EmptyIndexAsync();
        var seed = Random.Shared.Next();
        var random = new Random(seed);
        // Few distinct timestamps, so that most neighbours tie on it and the ids decide; ids that differ in case
        // only, so that the order is ordinal. More objects than a chunk of either index.
        var taskforces = Enumerable.Range(0, 700).Select(i => Taskforce(
            Phase.All[random.Next(Phase.All.Count)], timestamp: random.Next(6) / 2.0,
            uuid: $"TF-{(char)('a' + random.Next(3))}{(char)('A' + random.Next(3))}-{i:d4}")).ToList();
        var workflows = Enumerable.Range(0, 300).Select(i => Workflow(timestamp: random.Next(4), id: $"WF-{i:x3}")).ToList();
        var directives = workflows.Select((w, i) => Directive(w.WorkflowId, random.Next(4) / 4.0, $"TK-{i:x3}")).ToList();
        foreach (var chunk in taskforces.Chunk(100))
        {
            await index.WriteAsync(Batch(chunk));
        }
        await index.WriteAsync(new IndexBatch
        {
            Workflows = [.. workflows.Select(w => new Versioned<WorkflowDocument>(w, 1))],
            TaskDirectives = [.. directives.Select(d => new Versioned<TaskDirectiveDocument>(d, 1))],
        });

        var context = $"seed {seed}";
        var phases = new[] { Phase.PendingStarter, Phase.CondorSubmit, Phase.PreLaunch };
        var filter = FilterParser.Parse(new JsonObject
        {
            ["phase"] = new JsonObject { ["$in"] = new JsonArray([.. phases.Select(p => JsonValue.Create(p))]) },
        });
        var expected = InPageOrder(taskforces.Where(t => phases.Contains(t.Phase)).Select(t => (t.Timestamp, t.TaskforceUuid)));
        Assert.Equal(expected, Positions(await index.FindPageAsync(ObjectKind.Taskforce, filter, null, null).ToListAsync()));
        Assert.Equal(expected, await ReadInPiecesAsync(index, ObjectKind.Taskforce, filter, random, context));

        var all = InPageOrder(taskforces.Select(t => (t.Timestamp, t.TaskforceUuid)));
        Assert.Equal(all, await ReadInPiecesAsync(index, ObjectKind.Taskforce, MatchAllNode.Instance, random, context));
        Assert.Equal(InPageOrder(workflows.Select(w => (w.Timestamp, w.WorkflowId))),
            await ReadInPiecesAsync(index, ObjectKind.Workflow, MatchAllNode.Instance, random, context));
        var someWorkflows = workflows.Where((_, i) => i % 3 == 0).Select(w => w.WorkflowId).ToHashSet();
        var byWorkflow = FilterParser.Parse(new JsonObject
        {
            ["workflow_id"] = new JsonObject { ["$in"] = new JsonArray([.. someWorkflows.Select(id => JsonValue.Create(id))]) },
        });
        Assert.Equal(InPageOrder(directives.Where(d => someWorkflows.Contains(d.WorkflowId)).Select(d => (d.Timestamp, d.TaskId))),
            await ReadInPiecesAsync(index, ObjectKind.TaskDirective, byWorkflow, random, context));

        // The documents are the stored ones, whole when there is no projection.
        var first = (await index.FindPageAsync(ObjectKind.TaskDirective, MatchAllNode.Instance, null, null).FirstAsync());
        var stored = directives.Single(d => d.TaskId == first.Position.Id);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(WireJson.ToUtf8(stored)), first.Document));
        Assert.Equal(stored.Timestamp, first.Position.Timestamp);
    }

    [Fact]
    public async Task APositionComesFromTheStoredObjectWhateverTheProjectionKeeps()
    {
        var index = await EmptyIndexAsync();
        var a = Taskforce(Phase.PendingStarter, timestamp: 3.25, uuid: "TF-a", clusterId: 7);
        var b = Taskforce(Phase.PendingStarter, timestamp: 1.5, uuid: "TF-b");
        var c = Taskforce(Phase.CondorSubmit, timestamp: 2, uuid: "TF-c");
        await index.WriteAsync(Batch(a, b, c));

        var found = await index.FindPageAsync(ObjectKind.Taskforce, Filter("""{"phase": "pending-starter"}"""),
            Projection.Parse(new JsonArray("cluster_id")), null).ToListAsync();
        Assert.Equal([new FindPosition(1.5, "TF-b"), new FindPosition(3.25, "TF-a")], found.Select(f => f.Position));
        Assert.Equal("""{"cluster_id":null}""", found[0].Document.ToJsonString());
        Assert.Equal("""{"cluster_id":7}""", found[1].Document.ToJsonString());

        // Resuming from a projected page's position goes on as from the whole document's.
        var rest = await index.FindPageAsync(ObjectKind.Taskforce, MatchAllNode.Instance,
            Projection.Parse(new JsonArray("phase")), found[0].Position).ToListAsync();
        Assert.Equal([new FindPosition(2, "TF-c"), new FindPosition(3.25, "TF-a")], rest.Select(f => f.Position));
        Assert.Equal("""{"phase":"condor-submit"}""", rest[0].Document.ToJsonString());
    }

    [Fact]
    public async Task APageResumesAfterAPositionWhateverBecameOfItsObject()
    {
        var index = await EmptyIndexAsync();
        var tfs = Enumerable.Range(1, 10).Select(i => Taskforce(Phase.PendingStarter, timestamp: i, uuid: $"TF-{i:d2}")).ToArray();
        await index.WriteAsync(Batch(tfs));
        var filter = Filter("""{"phase": "pending-starter"}""");
        var firstFive = await index.FindPageAsync(ObjectKind.Taskforce, filter, null, null).Take(5).ToListAsync();
        var at = firstFive[^1].Position;
        Assert.Equal(new FindPosition(5, "TF-05"), at);

        // The object at the position moves ahead, one behind it moves ahead too, one ahead stops matching.
        await index.WriteAsync(new IndexBatch
        {
            Taskforces =
            [
                new(tfs[4] with { Timestamp = 20 }, 2), new(tfs[2] with { Timestamp = 30 }, 2),
                new(tfs[6] with { Phase = Phase.CondorSubmit }, 2),
            ],
        });
        Assert.Equal(["TF-06", "TF-08", "TF-09", "TF-10", "TF-05", "TF-03"],
            Ids(await index.FindPageAsync(ObjectKind.Taskforce, filter, null, at).ToListAsync()));

        // Positions no object holds: between two objects, before all, after all.
        Assert.Equal(["TF-09", "TF-10", "TF-05", "TF-03"],
            Ids(await index.FindPageAsync(ObjectKind.Taskforce, filter, null, new FindPosition(8, "TF-09-")).ToListAsync()));
        Assert.Equal(["TF-09", "TF-10", "TF-05", "TF-03"],
            Ids(await index.FindPageAsync(ObjectKind.Taskforce, filter, null, new FindPosition(9, "")).ToListAsync()));
        Assert.Equal(9, (await index.FindPageAsync(ObjectKind.Taskforce, filter, null,
            new FindPosition(double.NegativeInfinity, "")).ToListAsync()).Count);
        Assert.Empty(await index.FindPageAsync(ObjectKind.Taskforce, filter, null, new FindPosition(30, "TF-03")).ToListAsync());
        Assert.Empty(await index.FindPageAsync(ObjectKind.Taskforce, filter, null, new FindPosition(1e300, "")).ToListAsync());
        Assert.Empty(await index.FindPageAsync(ObjectKind.Workflow, MatchAllNode.Instance, null, null).ToListAsync());
    }

    [Fact]
    public async Task TimestampsCompareExactly()
    {
        var index = await EmptyIndexAsync();
        var one = Taskforce(Phase.PendingStarter, timestamp: 1.0, uuid: "TF-z");
        var nextUp = Taskforce(Phase.PendingStarter, timestamp: Math.BitIncrement(1.0), uuid: "TF-a");
        var sum = Taskforce(Phase.PendingStarter, timestamp: 0.1 + 0.2, uuid: "TF-m");
        var tenths = Taskforce(Phase.PendingStarter, timestamp: 0.3, uuid: "TF-n");
        await index.WriteAsync(Batch(one, nextUp, sum, tenths));

        var found = await index.FindPageAsync(ObjectKind.Taskforce, MatchAllNode.Instance, null, null).ToListAsync();
        // 0.3 < 0.1 + 0.2 as doubles, whatever the ids say; likewise 1 and the next double up.
        Assert.Equal(["TF-n", "TF-m", "TF-z", "TF-a"], Ids(found));
        Assert.Equal(Math.BitIncrement(1.0), found[3].Position.Timestamp);
        Assert.Equal(0.1 + 0.2, found[1].Position.Timestamp);
        Assert.Equal(["TF-a"], await IdsAfterAsync(index, found[2].Position));
        Assert.Equal(["TF-a"], await IdsAfterAsync(index, new FindPosition(1.0, "TF-zz")));
        Assert.Equal(["TF-m", "TF-z", "TF-a"], await IdsAfterAsync(index, new FindPosition(0.3, "TF-zz")));
        Assert.Equal(["TF-z", "TF-a"], await IdsAfterAsync(index, new FindPosition(0.1 + 0.2, "TF-n")));
    }

    [Fact]
    public async Task WritesBetweenPagesNeitherRepeatNorSkipWhatWasThere()
    {
        var index = await EmptyIndexAsync();
        var seed = Random.Shared.Next();
        var random = new Random(seed);
        var existing = Enumerable.Range(0, 600).Select(i => Taskforce(Phase.PendingStarter, timestamp: random.Next(300),
            uuid: $"TF-old-{i:d4}")).ToList();
        await index.WriteAsync(Batch([.. existing]));
        var revisions = existing.ToDictionary(t => t.TaskforceUuid, _ => 1L);
        var seen = new List<FindPosition>();
        FindPosition? at = null;
        var added = 0;

        for (var pages = 0; ; pages++)
        {
            // A read that does not move on would otherwise never end.
            Assert.True(pages < 1_000, $"seed {seed}: the pages never end");
            var page = await index.FindPageAsync(ObjectKind.Taskforce, MatchAllNode.Instance, null, at)
                .Take(1 + random.Next(25)).ToListAsync();
            if (page.Count == 0)
            {
                break;
            }
            seen.AddRange(page.Select(f => f.Position));
            at = page[^1].Position;
            // New objects behind and ahead of the reader, and new revisions of old ones, before the next page.
            var batch = new List<Versioned<TaskforceDocument>>();
            for (var i = 0; i < 4; i++)
            {
                batch.Add(new(Taskforce(Phase.PendingStarter, timestamp: random.Next(300), uuid: $"TF-new-{added++:d4}"), 1));
            }
            foreach (var old in existing.OrderBy(_ => random.Next()).Take(3))
            {
                batch.Add(new(old with { NWorkers = random.Next(100) }, ++revisions[old.TaskforceUuid]));
            }
            await index.WriteAsync(new IndexBatch { Taskforces = batch });
        }

        AssertOnceInOrder(existing, seen, $"seed {seed}");
    }

    [Fact]
    public async Task ConcurrentWritesNeitherRepeatNorSkipWhatWasThere()
    {
        var index = await EmptyIndexAsync();
        var existing = Enumerable.Range(0, 1500).Select(i => Taskforce(Phase.PendingStarter, timestamp: i % 500,
            uuid: $"TF-old-{i:d4}")).ToList();
        await index.WriteAsync(Batch([.. existing]));
        const int writes = 400;
        var written = 0;
        // Completed by the writer's next write, then replaced: what the reader waits on between pages.
        var nextWrite = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The writer goes a few writes ahead of the reader's pages at most, so that its writes are spread over the
        // whole read instead of all landing before the first pages.
        using var pagesRead = new SemaphoreSlim(0);
        var writer = Task.Run(async () =>
        {
            var random = new Random();
            for (var n = 0; n < writes; n++)
            {
                var old = existing[random.Next(existing.Count)];
                await index.WriteAsync(new IndexBatch
                {
                    Taskforces =
                    [
                        new(Taskforce(Phase.PendingStarter, timestamp: random.Next(500), uuid: $"TF-new-{n:d6}"), 1),
                        new(old with { NWorkers = n }, 2 + n),
                    ],
                });
                Interlocked.Increment(ref written);
                Interlocked.Exchange(ref nextWrite, new(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult();
                if (n % 5 == 4 && !await pagesRead.WaitAsync(TimeSpan.FromSeconds(30)))
                {
                    throw new TimeoutException("the reader stalled");
                }
            }
        });

        var seen = new List<FindPosition>();
        FindPosition? at = null;
        var next = Volatile.Read(ref nextWrite);
        for (var pages = 0; ; pages++)
        {
            Assert.True(pages < 1_000, "the pages never end");
            // While the writer runs, at least one write lands between two pages; others land while a page is read.
            if (!writer.IsCompleted)
            {
                await Task.WhenAny(next.Task, writer).WaitAsync(TimeSpan.FromSeconds(30));
            }
            var page = await index.FindPageAsync(ObjectKind.Taskforce, MatchAllNode.Instance, null, at).Take(40).ToListAsync();
            // The write to wait for is taken before the release lets the writer on: taken after, it could be the
            // one the writer makes only once it has another page, which would never come.
            next = Volatile.Read(ref nextWrite);
            pagesRead.Release();
            if (page.Count == 0)
            {
                break;
            }
            seen.AddRange(page.Select(f => f.Position));
            at = page[^1].Position;
        }
        // The writer may still be waiting for pages that will not come.
        pagesRead.Release(writes);
        await writer;

        Assert.Equal(writes, written);
        AssertOnceInOrder(existing, seen, $"concurrent writer, {written} writes");
    }

    [Fact]
    public async Task APageIsReadAsItIsConsumed()
    {
        var index = await EmptyIndexAsync();
        await index.WriteAsync(Batch([.. Enumerable.Range(0, 1000).Select(i => Taskforce(Phase.PendingStarter, timestamp: i))]));
        var behind = Taskforce(Phase.PendingStarter, timestamp: -1);
        var ahead = Taskforce(Phase.PendingStarter, timestamp: 5000);

        var read = new List<FoundObject>();
        await using (var page = index.FindPageAsync(ObjectKind.Taskforce, MatchAllNode.Instance, null, null).GetAsyncEnumerator())
        {
            Assert.True(await page.MoveNextAsync());
            read.Add(page.Current);
            // Written once the read has begun: far ahead, it is still to be read; behind, it is past.
            await index.WriteAsync(Batch(behind, ahead));
            while (await page.MoveNextAsync())
            {
                read.Add(page.Current);
            }
        }
        Assert.Equal(1001, read.Count);
        Assert.Equal(ahead.TaskforceUuid, read[^1].Position.Id);
        Assert.DoesNotContain(read, f => f.Position.Id == behind.TaskforceUuid);
    }

    /// <summary>
    /// Reads a whole find as a client of <c>/v1</c> would: a page of a random size, then the next one from the last
    /// position handed out, the enumeration abandoned each time.
    /// </summary>
    private static async Task<List<FindPosition>> ReadInPiecesAsync(
        IObjectIndex index, ObjectKind kind, FilterNode filter, Random random, string context)
    {
        var positions = new List<FindPosition>();
        FindPosition? at = null;
        for (var pages = 0; ; pages++)
        {
            Assert.True(pages < 10_000, $"{context}: the pages never end");
            var size = 1 + random.Next(40);
            var page = await index.FindPageAsync(kind, filter, null, at).Take(size).ToListAsync();
            positions.AddRange(page.Select(f => f.Position));
            if (page.Count < size)
            {
                return positions;
            }
            at = page[^1].Position;
        }
    }

    private static void AssertOnceInOrder(IReadOnlyList<TaskforceDocument> existing, List<FindPosition> seen, string context)
    {
        for (var i = 1; i < seen.Count; i++)
        {
            Assert.True(After(seen[i], seen[i - 1]), $"{context}: {seen[i]} came after {seen[i - 1]}");
        }
        var counts = seen.GroupBy(p => p.Id).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(counts, c => Assert.True(c.Value == 1, $"{context}: {c.Key} came {c.Value} times"));
        Assert.All(existing, t => Assert.True(counts.ContainsKey(t.TaskforceUuid), $"{context}: {t.TaskforceUuid} was skipped"));
    }

    private static bool After(FindPosition a, FindPosition b) =>
        a.Timestamp > b.Timestamp || (a.Timestamp == b.Timestamp && string.CompareOrdinal(a.Id, b.Id) > 0);

    private static List<FindPosition> InPageOrder(IEnumerable<(double Timestamp, string Id)> objects) =>
        [.. objects.OrderBy(o => o.Timestamp).ThenBy(o => o.Id, StringComparer.Ordinal).Select(o => new FindPosition(o.Timestamp, o.Id))];

    private static async Task<List<string>> IdsAfterAsync(IObjectIndex index, FindPosition after) =>
        Ids(await index.FindPageAsync(ObjectKind.Taskforce, MatchAllNode.Instance, null, after).ToListAsync());

    private static List<FindPosition> Positions(IEnumerable<FoundObject> found) => [.. found.Select(f => f.Position)];

    private static List<string> Ids(IEnumerable<FoundObject> found) => [.. found.Select(f => f.Position.Id)];

    private static FilterNode Filter(string json) => FilterParser.Parse(JsonNode.Parse(json)!.AsObject());
}
