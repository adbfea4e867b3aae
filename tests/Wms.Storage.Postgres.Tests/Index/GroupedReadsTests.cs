using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Storage.Postgres.Index;
using static Wms.Storage.Postgres.Tests.Index.IndexDocs;

namespace Wms.Storage.Postgres.Tests.Index;

/// <summary>
/// Reads that arrive together share statements, and each caller still gets its own answer. To be sure they arrive
/// together, the test holds the only connection of the pool while they are asked, so that all of them wait.
/// </summary>
public sealed class GroupedReadsTests(IndexDatabase database) : IClassFixture<IndexDatabase>
{
    [Fact]
    public async Task ReadsAskedTogetherShareStatementsAndEachGetsItsOwnAnswer()
    {
        await database.ResetAsync();
        var schedds = Enumerable.Range(0, 5).Select(s => $"grouped-schedd-{s}").ToArray();
        var taskforces = Enumerable.Range(0, 50).Select(i => Taskforce(
            i % 3 == 0 ? Phase.PendingStopper : Phase.PendingStarter, collector: "grouped-collector",
            schedd: schedds[i % schedds.Length], priority: i % 4, timestamp: i, clusterId: i)).ToArray();
        await database.Index.WriteAsync(new IndexBatch { Taskforces = [.. taskforces.Select(t => new Versioned<TaskforceDocument>(t, 1))] });
        var unknown = Enumerable.Range(0, 10).Select(_ => Taskforce(Phase.PendingStarter).TaskforceUuid).ToArray();

        // The answers one at a time, from the shared index: what the grouped reads must give.
        var expectedStarters = new Dictionary<string, byte[]?>();
        var expectedStoppers = new Dictionary<string, byte[]?>();
        foreach (var schedd in schedds.Append("nobody-here"))
        {
            expectedStarters[schedd] = await database.Index.NextPendingStarterAsync("grouped-collector", schedd, 2);
            expectedStoppers[schedd] = await database.Index.NextPendingStopperAsync("grouped-collector", schedd, 2);
        }
        Assert.All(schedds, s => Assert.NotNull(expectedStarters[s]));
        Assert.All(schedds, s => Assert.NotNull(expectedStoppers[s]));

        await using var dataSource = IndexDataSource.Create($"{database.ConnectionString};Maximum Pool Size=1");
        await using var index = new PostgresObjectIndex(dataSource);
        Task<byte[]?>[] byId, starters, stoppers;
        await using (await dataSource.OpenConnectionAsync())
        {
            // Every id twice, and ids nobody stored.
            byId = [.. taskforces.Select(t => t.TaskforceUuid).Concat(taskforces.Select(t => t.TaskforceUuid)).Concat(unknown)
                .Select(id => index.GetJsonAsync(ObjectKind.Taskforce, id))];
            starters = [.. expectedStarters.Keys.Select(s => index.NextPendingStarterAsync("grouped-collector", s, 2))];
            stoppers = [.. expectedStoppers.Keys.Select(s => index.NextPendingStopperAsync("grouped-collector", s, 2))];
            Assert.All(byId.Concat(starters).Concat(stoppers), t => Assert.False(t.IsCompleted));
        }

        var documents = await Task.WhenAll(byId);
        for (var i = 0; i < documents.Length; i++)
        {
            if (i < 2 * taskforces.Length)
            {
                var expected = taskforces[i % taskforces.Length].TaskforceUuid;
                Assert.Contains($"\"taskforce_uuid\":\"{expected}\"", System.Text.Encoding.UTF8.GetString(documents[i]!));
            }
            else
            {
                Assert.Null(documents[i]);
            }
        }
        Assert.Equal(expectedStarters.Values, await Task.WhenAll(starters));
        Assert.Equal(expectedStoppers.Values, await Task.WhenAll(stoppers));
        // 128 reads: a first group of each kind waited for the connection, and the rest followed in groups of up
        // to 64 (with a second group in flight allowed, as once, at most one more of each kind).
        Assert.InRange(index.ReadStatements, 3, 3 * 4);
    }

    [Fact]
    public async Task ScheddPollsAskedTogetherShareStatementsAndEachGetsItsOwnAnswer()
    {
        await database.ResetAsync();
        var schedds = Enumerable.Range(0, 5).Select(s => $"grouped-v1-schedd-{s}").ToArray();
        var taskforces = Enumerable.Range(0, 60).Select(i => Taskforce(
            i % 3 == 0 ? Phase.PendingStopper : Phase.PendingStarter, collector: $"grouped-collector-{i % 4}",
            schedd: schedds[i % schedds.Length], priority: i % 5, timestamp: i, clusterId: i,
            submitFailures: i % 3 == 2 ? 1 : 0, taskforcePriority: i % 3)).ToArray();
        await database.Index.WriteAsync(new IndexBatch { Taskforces = [.. taskforces.Select(t => new Versioned<TaskforceDocument>(t, 1))] });

        // Each schedd at two retry limits, and a schedd nobody has: the answers one at a time come first.
        var asks = schedds.Append("nobody-here").SelectMany(s => new[] { (s, 0), (s, 2) }).ToArray();
        var expectedStarters = new List<byte[]?>();
        var expectedStoppers = new List<byte[]?>();
        foreach (var (schedd, limit) in asks)
        {
            expectedStarters.Add(await database.Index.NextPendingStarterAtScheddAsync(schedd, limit));
            expectedStoppers.Add(await database.Index.NextPendingStopperAtScheddAsync(schedd, limit));
        }
        Assert.Equal(schedds.Length * 2, expectedStarters.Count(a => a is not null));
        Assert.Equal(schedds.Length * 2, expectedStoppers.Count(a => a is not null));
        // The limits matter here: every schedd's best has failed once.
        Assert.All(Enumerable.Range(0, schedds.Length), s => Assert.False(expectedStarters[2 * s]!.SequenceEqual(expectedStarters[2 * s + 1]!)));

        await using var dataSource = IndexDataSource.Create($"{database.ConnectionString};Maximum Pool Size=1");
        await using var index = new PostgresObjectIndex(dataSource);
        Task<byte[]?>[] starters, stoppers;
        await using (await dataSource.OpenConnectionAsync())
        {
            starters = [.. asks.Select(a => index.NextPendingStarterAtScheddAsync(a.Item1, a.Item2))];
            stoppers = [.. asks.Select(a => index.NextPendingStopperAtScheddAsync(a.Item1, a.Item2))];
            Assert.All(starters.Concat(stoppers), t => Assert.False(t.IsCompleted));
        }

        Assert.Equal(expectedStarters, await Task.WhenAll(starters));
        Assert.Equal(expectedStoppers, await Task.WhenAll(stoppers));
        // 24 polls: one statement per kind, and a second at most if a group had already gone when the rest came.
        Assert.InRange(index.ReadStatements, 2, 4);
    }
}
