using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Npgsql;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Storage.Postgres.Index;
using Wms.Storage.Postgres.Tests.Infrastructure;
using Wms.Testing;
using static Wms.Storage.Postgres.Tests.Index.IndexDocs;

namespace Wms.Storage.Postgres.Tests.Index;

/// <summary>
/// Concurrent writes share transactions. Where a test needs batches in one group for certain, it holds a row lock
/// that a first write waits on (one group in flight), so everything written meanwhile waits for the next group.
/// </summary>
public sealed class WriteCoalescingTests(IndexDatabase database) : IClassFixture<IndexDatabase>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ConcurrentWritersEachReadTheirOwnWriteAndReadersNeverSeePartOfABatch()
    {
        // A small pool: the writers share a couple of connections, their reads queue for the rest (the test
        // server's connections are shared by every test class running at the same time).
        await using var dataSource = IndexDataSource.Create($"{database.ConnectionString};Maximum Pool Size=12");
        await using var index = new PostgresObjectIndex(dataSource);
        const int writers = 32;
        const int batchesEach = 25;
        var planned = Enumerable.Range(0, writers).Select(_ => Enumerable.Range(0, batchesEach).Select(_ =>
        {
            var wf = Workflow();
            return (wf, td: Directive(wf.WorkflowId),
                tf1: Taskforce(Phase.PreMqActivation, workflowId: wf.WorkflowId),
                tf2: Taskforce(Phase.PreMqActivation, workflowId: wf.WorkflowId));
        }).ToArray()).ToArray();
        var progress = new int[writers];
        var finished = 0;
        var unseen = 0;
        var torn = 0;
        var reads = 0;

        var writing = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            foreach (var (wf, td, tf1, tf2) in planned[w])
            {
                await index.WriteAsync(new IndexBatch
                {
                    Workflows = [new(wf, 1)],
                    TaskDirectives = [new(td, 1)],
                    Taskforces = [new(tf2, 1), new(tf1, 1)],
                });
                // The caller's own write is there the moment its task completes.
                var stored = await index.GetJsonAsync(ObjectKind.Taskforce, tf2.TaskforceUuid);
                if (!WireJson.ToUtf8(tf2).AsSpan().SequenceEqual(stored))
                {
                    Interlocked.Increment(ref unseen);
                }
                Interlocked.Increment(ref progress[w]);
            }
            Interlocked.Increment(ref finished);
        })).ToArray();
        var reading = Enumerable.Range(0, 4).Select(r => Task.Run(async () =>
        {
            var random = new Random(r);
            while (Volatile.Read(ref finished) < writers)
            {
                // The batch a writer is writing now, read in both directions.
                var w = random.Next(writers);
                var (wf, td, tf1, tf2) = planned[w][Math.Min(Volatile.Read(ref progress[w]), batchesEach - 1)];
                var tfFirst = await Exists(index, ObjectKind.Taskforce, tf1.TaskforceUuid);
                var wfThen = await Exists(index, ObjectKind.Workflow, wf.WorkflowId);
                var tdThen = await Exists(index, ObjectKind.TaskDirective, td.TaskId);
                var tf2Then = await Exists(index, ObjectKind.Taskforce, tf2.TaskforceUuid);
                var wfFirst = await Exists(index, ObjectKind.Workflow, wf.WorkflowId);
                var tfThen = await Exists(index, ObjectKind.Taskforce, tf1.TaskforceUuid);
                if ((tfFirst && !(wfThen && tdThen && tf2Then)) || (wfFirst && !tfThen))
                {
                    Interlocked.Increment(ref torn);
                }
                Interlocked.Increment(ref reads);
            }
        })).ToArray();
        await Task.WhenAll(writing.Concat(reading)).WaitAsync(Deadline);

        Assert.Equal(0, unseen);
        Assert.Equal(0, torn);
        Assert.True(reads > 0);
        foreach (var (wf, td, tf1, tf2) in planned.SelectMany(p => p))
        {
            Assert.Equal(WireJson.ToUtf8(wf), await index.GetJsonAsync(ObjectKind.Workflow, wf.WorkflowId));
            Assert.Equal(WireJson.ToUtf8(td), await index.GetJsonAsync(ObjectKind.TaskDirective, td.TaskId));
            Assert.Equal(WireJson.ToUtf8(tf1), await index.GetJsonAsync(ObjectKind.Taskforce, tf1.TaskforceUuid));
        }
    }

    [Fact]
    public async Task AStaleRevisionNeverOverwritesANewerOneInTheSameGroup()
    {
        await using var index = new PostgresObjectIndex(database.DataSource, maxGroupRows: 500, maxGroupsInFlight: 1);
        var collector = Unique("COLL");
        var x = Taskforce(Phase.PreLaunch, collector, priority: 3);
        var y = Taskforce(Phase.PreLaunch, collector);
        var z = Taskforce(Phase.PreLaunch, collector);
        await index.WriteAsync(Batch(x, y, z));
        var xNewest = x with { Phase = Phase.PendingStarter, NWorkers = 3 };
        var xStale = x with { Phase = Phase.PreLaunch, NWorkers = 2 };
        var yFirst = y with { NWorkers = 21 };
        var ySame = y with { NWorkers = 22 };
        var zOlder = z with { NWorkers = 31 };
        var zNewer = z with { Phase = Phase.PendingStarter, NWorkers = 32, WorkerConfig = z.WorkerConfig with { Priority = 1 } };

        await using (var hold = await RowHold.TakeAsync(database, index))
        {
            // Newest first, then stale; two at one revision (the first stays); older first, then newer.
            var writes = new[]
            {
                index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(xNewest, 3))),
                index.WriteAsync(new IndexBatch { Taskforces = [new(yFirst, 2), new(zOlder, 2)] }),
                index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(xStale, 2))),
                index.WriteAsync(new IndexBatch { Taskforces = [new(zNewer, 3), new(ySame, 2)] }),
            };
            Assert.All(writes, w => Assert.False(w.IsCompleted));
            await hold.ReleaseAsync();
            await Task.WhenAll(writes).WaitAsync(Deadline);
        }

        Assert.Equal(WireJson.ToUtf8(xNewest), await index.GetJsonAsync(ObjectKind.Taskforce, x.TaskforceUuid));
        Assert.Equal(WireJson.ToUtf8(yFirst), await index.GetJsonAsync(ObjectKind.Taskforce, y.TaskforceUuid));
        Assert.Equal(WireJson.ToUtf8(zNewer), await index.GetJsonAsync(ObjectKind.Taskforce, z.TaskforceUuid));
        // The selection columns come from the same row as the document.
        Assert.Equal(WireJson.ToUtf8(xNewest), await index.NextPendingStarterAsync(collector, x.Schedd, 2));
        Assert.DoesNotContain(x.TaskforceUuid, await index.LaunchCandidatesAsync(100_000));

        // Later, alone, the stale one still changes nothing.
        await index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(xStale, 2)));
        Assert.Equal(WireJson.ToUtf8(xNewest), await index.GetJsonAsync(ObjectKind.Taskforce, x.TaskforceUuid));
    }

    [Fact]
    public async Task ABatchTheDatabaseRefusesFailsOnlyItsOwnCallerEvenInAGroup()
    {
        await using var index = new PostgresObjectIndex(database.DataSource, maxGroupRows: 500, maxGroupsInFlight: 1);
        await using (await RefusingTrigger.InstallAsync(
            database.ConnectionString, "public.wms_index_taskforce", "id", "TF-REFUSE-%"))
        {
            var goodWorkflow = Workflow();
            var good = Taskforce(Phase.PreLaunch, workflowId: goodWorkflow.WorkflowId);
            var refusedWorkflow = Workflow();
            var refused = Taskforce(Phase.PreLaunch, uuid: Unique("TF-REFUSE"), workflowId: refusedWorkflow.WorkflowId);
            var alsoGood = Taskforce(Phase.PreLaunch);
            Task[] writes;
            await using (var hold = await RowHold.TakeAsync(database, index))
            {
                writes =
                [
                    index.WriteAsync(new IndexBatch { Workflows = [new(goodWorkflow, 1)], Taskforces = [new(good, 1)] }),
                    index.WriteAsync(new IndexBatch { Workflows = [new(refusedWorkflow, 1)], Taskforces = [new(refused, 1)] }),
                    index.WriteAsync(Batch(alsoGood)),
                ];
                await hold.ReleaseAsync();
                await Task.WhenAll(writes).ContinueWith(_ => { }).WaitAsync(Deadline);
            }

            Assert.True(writes[0].IsCompletedSuccessfully);
            Assert.True(writes[2].IsCompletedSuccessfully);
            var error = await Assert.ThrowsAsync<PostgresException>(() => writes[1]);
            Assert.Contains(RefusingTrigger.Message, error.MessageText);
            Assert.NotNull(await index.GetJsonAsync(ObjectKind.Workflow, goodWorkflow.WorkflowId));
            Assert.NotNull(await index.GetJsonAsync(ObjectKind.Taskforce, good.TaskforceUuid));
            Assert.NotNull(await index.GetJsonAsync(ObjectKind.Taskforce, alsoGood.TaskforceUuid));
            // All of the refused batch is missing, its workflow too.
            Assert.Null(await index.GetJsonAsync(ObjectKind.Workflow, refusedWorkflow.WorkflowId));
            Assert.Null(await index.GetJsonAsync(ObjectKind.Taskforce, refused.TaskforceUuid));
        }
        var later = Taskforce(Phase.PreLaunch);
        await index.WriteAsync(Batch(later)).WaitAsync(Deadline);
        Assert.NotNull(await index.GetJsonAsync(ObjectKind.Taskforce, later.TaskforceUuid));
    }

    [Fact]
    public async Task ALostConnectionFailsExactlyTheCallersOfItsGroup()
    {
        await using var index = new PostgresObjectIndex(database.DataSource, maxGroupRows: 500, maxGroupsInFlight: 1);
        // The second group will wait on a second held row; the one after it is queued behind.
        var second = Taskforce(Phase.PreLaunch);
        await index.WriteAsync(Batch(second));
        await using var secondHold = await RowHold.LockAsync(database, second.TaskforceUuid);
        await using var first = await RowHold.TakeAsync(database, index);
        var doomed = new[]
        {
            IndexBatch.Of(new Versioned<TaskforceDocument>(second with { NWorkers = 8 }, 2)),
            Batch(Taskforce(Phase.PreLaunch)),
            Batch(Taskforce(Phase.PreLaunch)),
        }.Select(b => index.WriteAsync(b)).ToArray();
        await first.ReleaseAsync();
        await first.Written.WaitAsync(Deadline);
        await RowLock.WaitForWaiterAsync(database.ConnectionString);
        var queued = new[] { Taskforce(Phase.PreLaunch), Taskforce(Phase.PreLaunch) };
        var survivors = queued.Select(tf => index.WriteAsync(Batch(tf))).ToArray();

        await database.ExecuteAsync("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'
            """);
        foreach (var write in doomed)
        {
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => write.WaitAsync(Deadline));
        }
        await Task.WhenAll(survivors).WaitAsync(Deadline);
        foreach (var tf in queued)
        {
            Assert.Equal(WireJson.ToUtf8(tf), await index.GetJsonAsync(ObjectKind.Taskforce, tf.TaskforceUuid));
        }
    }

    [Fact]
    public async Task AClosedDatabaseFailsEveryWriterWithoutHangingAndWritesResumeOnceItOpens()
    {
        var server = await PostgresServer.SharedAsync();
        var connectionString = await server.CreateDatabaseAsync("wms_closed");
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await new SchemaMigrator().MigrateAsync(connectionString);
        await using var dataSource = IndexDataSource.Create(connectionString);
        await using var index = new PostgresObjectIndex(dataSource);
        await index.WriteAsync(Batch(Taskforce(Phase.PreLaunch)));

        await AdminAsync(server, $"""ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false""");
        await AdminAsync(server, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'");
        var writes = Enumerable.Range(0, 20).Select(_ => index.WriteAsync(Batch(Taskforce(Phase.PreLaunch)))).ToArray();
        foreach (var write in writes)
        {
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => write.WaitAsync(Deadline));
        }

        await AdminAsync(server, $"""ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true""");
        // Pooled connections the server closed fail once each when next used; after that writes go through.
        var stop = DateTime.UtcNow + Deadline;
        var after = Taskforce(Phase.PreLaunch);
        while (true)
        {
            try
            {
                await index.WriteAsync(Batch(after)).WaitAsync(Deadline);
                break;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < stop)
            {
            }
        }
        var more = Enumerable.Range(0, 20).Select(_ => Taskforce(Phase.PreLaunch)).ToArray();
        await Task.WhenAll(more.Select(tf => index.WriteAsync(Batch(tf)))).WaitAsync(Deadline);
        foreach (var tf in more.Append(after))
        {
            Assert.Equal(WireJson.ToUtf8(tf), await index.GetJsonAsync(ObjectKind.Taskforce, tf.TaskforceUuid));
        }
    }

    [Fact]
    public async Task CancellingOneWaitingCallerLeavesTheOthersWrittenAndItsOwnBatchUnwritten()
    {
        await using var index = new PostgresObjectIndex(database.DataSource, maxGroupRows: 500, maxGroupsInFlight: 1);
        var kept = new[] { Taskforce(Phase.PreLaunch), Taskforce(Phase.PreLaunch) };
        var dropped = Taskforce(Phase.PreLaunch);
        using var cancel = new CancellationTokenSource();
        await using (var hold = await RowHold.TakeAsync(database, index))
        {
            var before = index.WriteAsync(Batch(kept[0]));
            var cancelled = index.WriteAsync(Batch(dropped), cancel.Token);
            var after = index.WriteAsync(Batch(kept[1]));
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Deadline));
            await hold.ReleaseAsync();
            await Task.WhenAll(before, after).WaitAsync(Deadline);
        }
        foreach (var tf in kept)
        {
            Assert.Equal(WireJson.ToUtf8(tf), await index.GetJsonAsync(ObjectKind.Taskforce, tf.TaskforceUuid));
        }
        Assert.Null(await index.GetJsonAsync(ObjectKind.Taskforce, dropped.TaskforceUuid));
    }

    [Fact]
    public async Task GroupsSharingRowsInAnyOrderNeitherDeadlockNorLoseTheNewestRevision()
    {
        // Small groups, several in flight: many transactions touch the same rows at once.
        await using var index = new PostgresObjectIndex(database.DataSource, maxGroupRows: 30, maxGroupsInFlight: 4);
        var ids = Enumerable.Range(0, 20).Select(_ => Unique("TF")).ToArray();
        var revision = 0L;
        var newest = new ConcurrentDictionary<string, long>();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            for (var i = 0; i < 40; i++)
            {
                var versions = ids.OrderBy(_ => random.Next()).Take(8).Select(id =>
                {
                    // Now and then a stale write, behind the newest one by a few revisions.
                    var r = Interlocked.Increment(ref revision) - (random.Next(4) == 0 ? 5 : 0);
                    return new Versioned<TaskforceDocument>(Taskforce(Phase.PreLaunch, uuid: id) with { NWorkers = r }, r);
                }).ToList();
                await index.WriteAsync(new IndexBatch { Taskforces = versions });
                foreach (var v in versions)
                {
                    newest.AddOrUpdate(v.Document.TaskforceUuid, v.Revision, (_, seen) => Math.Max(seen, v.Revision));
                }
            }
        }))).WaitAsync(Deadline);

        foreach (var id in ids)
        {
            var stored = JsonNode.Parse((await index.GetJsonAsync(ObjectKind.Taskforce, id))!)!;
            Assert.Equal(newest[id], stored["n_workers"]!.GetValue<long>());
        }
    }

    [Fact]
    public async Task DisposeLetsAcceptedWritesFinishAndRefusesLaterOnes()
    {
        var index = new PostgresObjectIndex(database.DataSource, maxGroupRows: 500, maxGroupsInFlight: 1);
        var queued = Taskforce(Phase.PreLaunch);
        ValueTask disposing;
        Task write;
        await using (var hold = await RowHold.TakeAsync(database, index))
        {
            write = index.WriteAsync(Batch(queued));
            disposing = index.DisposeAsync();
            Assert.False(disposing.IsCompleted);
            await Assert.ThrowsAsync<ObjectDisposedException>(() => index.WriteAsync(Batch(Taskforce(Phase.PreLaunch))));
            await hold.ReleaseAsync();
            await disposing.AsTask().WaitAsync(Deadline);
        }
        Assert.True(write.IsCompletedSuccessfully);
        Assert.Equal(WireJson.ToUtf8(queued), await database.Index.GetJsonAsync(ObjectKind.Taskforce, queued.TaskforceUuid));
    }


    private static async Task<bool> Exists(PostgresObjectIndex index, ObjectKind kind, string id) =>
        await index.GetJsonAsync(kind, id) is not null;

    private static async Task AdminAsync(PostgresServer server, string sql)
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// A row locked by a transaction of its own. <see cref="TakeAsync"/> also starts a write of that row through
    /// the index and returns once it waits for the lock: with one group in flight, every write from then on waits
    /// for the next group.
    /// </summary>
    private sealed class RowHold : IAsyncDisposable
    {
        private readonly RowLock _lock;

        private RowHold(RowLock rowLock)
        {
            _lock = rowLock;
        }

        /// <summary>The index's write of the held row (completed at once when there is none).</summary>
        public Task Written { get; private set; } = Task.CompletedTask;

        public static async Task<RowHold> TakeAsync(IndexDatabase database, PostgresObjectIndex index)
        {
            var tf = Taskforce(Phase.PreLaunch);
            await index.WriteAsync(Batch(tf));
            var hold = await LockAsync(database, tf.TaskforceUuid);
            hold.Written = index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(tf with { NWorkers = 7 }, 2)));
            await RowLock.WaitForWaiterAsync(database.ConnectionString);
            return hold;
        }

        public static async Task<RowHold> LockAsync(IndexDatabase database, string taskforceUuid) =>
            new(await RowLock.TakeAsync(
                database.ConnectionString, "SELECT 1 FROM public.wms_index_taskforce WHERE id = $1", taskforceUuid));

        public Task ReleaseAsync() => _lock.ReleaseAsync();

        public ValueTask DisposeAsync() => _lock.DisposeAsync();
    }
}
