using System.Text.Json.Nodes;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Query;
using Wms.Storage.Postgres.Index;
using static Wms.Storage.Postgres.Tests.Index.IndexDocs;

namespace Wms.Storage.Postgres.Tests.Index;

/// <summary>
/// Pages in PostgreSQL: read in chunks of keyset statements, so that stopping early costs one chunk, and resumed
/// from positions alone, so that a page read outlives the index instance (and the silo) that began it.
/// </summary>
public sealed class PostgresPageTests(IndexDatabase database) : IClassFixture<IndexDatabase>
{
    [Fact]
    public async Task StoppingEarlyCostsOneChunk()
    {
        await database.ResetAsync();
        const int chunk = 50;
        await using var index = new PostgresObjectIndex(database.DataSource, PostgresObjectIndex.DefaultMaxGroupRows,
            PostgresObjectIndex.DefaultMaxGroupsInFlight, pageChunkRows: chunk);
        await index.WriteAsync(Batch([.. Enumerable.Range(0, 500).Select(i => Taskforce(
            i % 2 == 0 ? Phase.PendingStarter : Phase.CondorSubmit, timestamp: i))]));
        var starting = Filter("""{"phase": "pending-starter"}""");

        Assert.Equal(3, (await index.FindPageAsync(ObjectKind.Taskforce, starting, null, null).Take(3).ToListAsync()).Count);
        Assert.Equal(1, index.PageStatements);
        // One more than a chunk takes a second statement, and nothing more.
        Assert.Equal(chunk + 1, (await index.FindPageAsync(ObjectKind.Taskforce, starting, null, null).Take(chunk + 1).ToListAsync()).Count);
        Assert.Equal(3, index.PageStatements);

        // Chunks count matching rows: 250 of them are five full chunks and an empty one that says it is the end.
        var all = await index.FindPageAsync(ObjectKind.Taskforce, starting, null, null).ToListAsync();
        Assert.Equal(250, all.Count);
        Assert.Equal(3 + 6, index.PageStatements);
        // A short last chunk is the end, without a statement to say so.
        Assert.Equal(30, (await index.FindPageAsync(ObjectKind.Taskforce, starting, null, all[219].Position).ToListAsync()).Count);
        Assert.Equal(3 + 6 + 1, index.PageStatements);
    }

    [Fact]
    public async Task APageResumesOnAnotherIndexInstance()
    {
        await database.ResetAsync();
        var taskforces = Enumerable.Range(0, 300).Select(i => Taskforce(Phase.PendingStarter, timestamp: i % 7)).ToList();
        await database.Index.WriteAsync(Batch([.. taskforces]));
        var expected = taskforces.OrderBy(t => t.Timestamp).ThenBy(t => t.TaskforceUuid, StringComparer.Ordinal)
            .Select(t => t.TaskforceUuid).ToList();

        FindPosition at;
        var ids = new List<string>();
        await using (var dataSource = IndexDataSource.Create(database.ConnectionString))
        await using (var findSource = IndexDataSource.CreateForFinds(database.ConnectionString))
        await using (var first = new PostgresObjectIndex(dataSource, findSource))
        {
            var page = await first.FindPageAsync(ObjectKind.Taskforce, MatchAllNode.Instance, null, null).Take(100).ToListAsync();
            ids.AddRange(page.Select(f => f.Position.Id));
            at = page[^1].Position;
        }
        // Nothing of the first instance is left: its pools are closed. The position is all the second one gets.
        await using (var dataSource = IndexDataSource.Create(database.ConnectionString))
        await using (var findSource = IndexDataSource.CreateForFinds(database.ConnectionString))
        await using (var second = new PostgresObjectIndex(dataSource, findSource))
        {
            var rest = await second.FindPageAsync(ObjectKind.Taskforce, MatchAllNode.Instance, null,
                new FindPosition(at.Timestamp, at.Id)).ToListAsync();
            ids.AddRange(rest.Select(f => f.Position.Id));
        }
        Assert.Equal(expected, ids);
    }

    [Fact]
    public async Task APageResumesAfterTheRowOfItsPositionIsGone()
    {
        await database.ResetAsync();
        var taskforces = Enumerable.Range(1, 6).Select(i => Taskforce(Phase.PendingStarter, timestamp: i, uuid: $"TF-{i}")).ToArray();
        await database.Index.WriteAsync(Batch(taskforces));
        var page = await database.Index.FindPageAsync(ObjectKind.Taskforce, MatchAllNode.Instance, null, null).Take(3).ToListAsync();
        Assert.Equal(new FindPosition(3, "TF-3"), page[^1].Position);

        // The row of the position and the one after it are deleted from under the reader.
        await database.ExecuteAsync("DELETE FROM public.wms_index_taskforce WHERE id IN ('TF-3', 'TF-4')");
        var rest = await database.Index.FindPageAsync(ObjectKind.Taskforce, MatchAllNode.Instance, null, page[^1].Position).ToListAsync();
        Assert.Equal(["TF-5", "TF-6"], rest.Select(f => f.Position.Id));
    }

    private static FilterNode Filter(string json) => FilterParser.Parse(JsonNode.Parse(json)!.AsObject());
}
