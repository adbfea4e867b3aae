using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;
using Wms.Api.Tests.Lifecycle;
using Wms.Testing;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.V1;

/// <summary>
/// /v1 finds page with <c>after</c> / <c>next_after</c>, bounded by USER_QUERY_MAX_BYTES; /v0 finds stay whole.
/// </summary>
public sealed class FindPagesTests
{
    // Small enough that a handful of projected workflows (about 40 bytes each) spans several pages.
    private const string PageBytes = "200";

    private static Task<WmsServer> StartAsync(StorageMode mode = StorageMode.Memory, string? database = null) =>
        WmsServer.StartAsync(mode, s =>
        {
            s["USER_QUERY_MAX_BYTES"] = PageBytes;
            if (database is not null)
            {
                s["WMS_POSTGRES"] = database;
            }
        });

    private static async Task<List<string>> CreateAsync(WmsServer server, int count)
    {
        var user = new UserClient(server.Http);
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(WorkflowId(await user.CreateWorkflowAsync(SimpleWorkflow(Alpha))));
        }
        return ids;
    }

    /// <summary>One page: the ids on it and the cursor it gives.</summary>
    private static async Task<(List<string> Ids, string? Next)> PageAsync(WmsServer server, string? after, JsonObject? query = null)
    {
        var user = new UserClient(server.Http, V1Schema.Shared);
        var body = new JsonObject { ["query"] = query ?? new JsonObject(), ["projection"] = new JsonArray("workflow_id") };
        if (after is not null)
        {
            body["after"] = after;
        }
        var page = (await user.PostAsync("v1/query/workflows", body)).Object;
        var ids = page["workflows"]!.AsArray().Select(w => w!["workflow_id"]!.GetValue<string>()).ToList();
        return (ids, page["next_after"]?.GetValue<string>());
    }

    private static async Task<(List<string> Ids, int Pages)> AllPagesAsync(WmsServer server, JsonObject? query = null)
    {
        var all = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var (ids, next) = await PageAsync(server, after, query);
            all.AddRange(ids);
            after = next;
            pages++;
            Assert.True(pages < 1000, "the pages never end");
        }
        while (after is not null);
        return (all, pages);
    }

    /// <summary>The order pages run in: creation time, then id.</summary>
    private static async Task<List<string>> InStoredOrderAsync(WmsServer server, IEnumerable<string> ids)
    {
        var user = new UserClient(server.Http);
        var keyed = new List<(double At, string Id)>();
        foreach (var id in ids)
        {
            keyed.Add((Number((await user.WorkflowAsync(id))["timestamp"]), id));
        }
        return keyed.OrderBy(k => k.At).ThenBy(k => k.Id, StringComparer.Ordinal).Select(k => k.Id).ToList();
    }

    [Fact]
    public async Task EveryObjectComesOnceInOrderOverSeveralPages()
    {
        await using var server = await StartAsync();
        var created = await CreateAsync(server, 12);
        var (all, pages) = await AllPagesAsync(server);
        Assert.True(pages > 2, $"only {pages} pages");
        Assert.Equal(await InStoredOrderAsync(server, created), all);

        // A filter pages the same way over what it matches.
        var some = created.Take(5).ToHashSet();
        var query = new JsonObject { ["workflow_id"] = new JsonObject { ["$in"] = new JsonArray([.. some.Select(i => (JsonNode)i)]) } };
        var (matched, _) = await AllPagesAsync(server, query);
        Assert.Equal((await InStoredOrderAsync(server, created)).Where(some.Contains), matched);
    }

    [Fact]
    public async Task AnObjectLargerThanAPageStillComesOnePerPage()
    {
        await using var server = await WmsServer.StartAsync(s => s["USER_QUERY_MAX_BYTES"] = "10");
        var created = await CreateAsync(server, 3);
        var user = new UserClient(server.Http, V1Schema.Shared);
        var page = (await user.PostAsync("v1/query/workflows", new JsonObject { ["query"] = new JsonObject() })).Object;
        Assert.Single(page["workflows"]!.AsArray());
        Assert.NotNull(page["next_after"]);
        var (all, pages) = await AllPagesAsync(server);
        Assert.Equal(3, pages);
        Assert.Equal(created.Order(), all.Order());
    }

    [Fact]
    public async Task PagesNeverRepeatOrMissAnObjectWhileOthersAreCreated()
    {
        await using var server = await StartAsync();
        var before = await CreateAsync(server, 10);
        using var stop = new CancellationTokenSource();
        var writer = System.Threading.Tasks.Task.Run(async () =>
        {
            var made = new List<string>();
            while (!stop.IsCancellationRequested)
            {
                made.AddRange(await CreateAsync(server, 1));
            }
            return made;
        });
        var (all, _) = await AllPagesAsync(server);
        await stop.CancelAsync();
        var during = await writer;
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Subset(all.ToHashSet(), before.ToHashSet());
        Assert.Subset(before.Concat(during).ToHashSet(), all.ToHashSet());
    }

    [Fact]
    public async Task ACursorOutlivesTheSiloThatGaveIt()
    {
        var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("wms_pages");
        List<string> created;
        List<string> first;
        string? next;
        await using (var server = await StartAsync(StorageMode.Postgres, database))
        {
            created = await InStoredOrderAsync(server, await CreateAsync(server, 8));
            (first, next) = await PageAsync(server, null);
        }
        Assert.NotNull(next);
        await using var restarted = await StartAsync(StorageMode.Postgres, database);
        var rest = new List<string>();
        while (next is not null)
        {
            var (ids, after) = await PageAsync(restarted, next);
            rest.AddRange(ids);
            next = after;
        }
        Assert.Equal(created, first.Concat(rest));
    }

    public static TheoryData<string, JsonNode?> BadCursors => new()
    {
        { "not base64", "not a cursor!" },
        { "empty", "" },
        { "base64 of nothing we made", "AAAA" },
        { "a number", 42 },
    };

    [Theory]
    [MemberData(nameof(BadCursors))]
    public async Task AMalformedCursorIsRefused(string name, JsonNode? after)
    {
        await using var server = await StartAsync();
        var user = new UserClient(server.Http, V1Schema.Shared);
        var answer = await user.PostAsync("v1/query/workflows", new JsonObject { ["query"] = new JsonObject(), ["after"] = after });
        Assert.True(answer.Status == 400, $"{name}: {answer.Status} {answer.Body?.ToJsonString()}");
    }

    [Fact]
    public async Task ACursorOfAnotherKindIsRefused()
    {
        await using var server = await StartAsync();
        await CreateAsync(server, 4);
        var user = new UserClient(server.Http, V1Schema.Shared);
        var page = (await user.PostAsync("v1/query/taskforces", new JsonObject { ["query"] = new JsonObject() })).Object;
        var cursor = page["next_after"]!.GetValue<string>();
        (await user.PostAsync("v1/query/workflows", new JsonObject { ["query"] = new JsonObject(), ["after"] = cursor }))
            .AssertError(400, "after must be a next_after value this service gave for the same kind of object");
        // A null cursor is the first page.
        var firstPage = await user.PostAsync("v1/query/workflows", new JsonObject { ["query"] = new JsonObject(), ["after"] = null });
        Assert.Equal(200, firstPage.Status);
    }

    [Fact]
    public async Task V0FindsAreWholeAndHaveNoCursor()
    {
        await using var server = await StartAsync();
        var created = await CreateAsync(server, 6);
        var user = new UserClient(server.Http);
        var found = (await user.PostAsync("v0/query/workflows", new JsonObject { ["query"] = new JsonObject() })).Object;
        Assert.Equal(["workflows"], found.Select(p => p.Key));
        Assert.Equal(created.Order(), found["workflows"]!.AsArray().Select(w => w!["workflow_id"]!.GetValue<string>()).Order());
        (await user.PostAsync("v0/query/workflows", new JsonObject { ["query"] = new JsonObject(), ["after"] = null }))
            .AssertError(400, "unknown field 'after'");
    }
}
