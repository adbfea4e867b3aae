using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;
using Wms.Api.Tests.Lifecycle;

namespace Wms.Api.Tests.Auth;

/// <summary>
/// <c>"mine": true</c> in a find of workflows, on both generations: each caller finds the workflows its own subject
/// created and no other; without it, or with false, every workflow the filter matches. With authentication off, the
/// caller's own are those created with it off. Anything but a boolean is a 400 in the contract's shape.
/// </summary>
public sealed class MineFindTests
{
    [Theory]
    [InlineData(StorageMode.Postgres)]
    [InlineData(StorageMode.Memory)]
    public async Task EachCallerFindsOnlyTheirOwnWithMineAndEveryWorkflowWithout(StorageMode mode)
    {
        var minter = TokenMinter.Symmetric();
        await using var server = await WmsServer.StartAsync(mode, s =>
        {
            minter.Configure(s);
            s["WMS_AUTH_DISABLED"] = null;
        });
        using var aliceHttp = Http(server, minter.User("alice"));
        using var bobHttp = Http(server, minter.UserByRole("bob"));
        using var tmsHttp = Http(server, minter.Tms());
        var alice = new UserClient(aliceHttp);
        var bob = new UserClient(bobHttp);
        var tms = new UserClient(tmsHttp);
        List<string> alices =
        [
            Flow.WorkflowId(await alice.CreateWorkflowAsync(Flow.SimpleWorkflow(Flow.Alpha))),
            Flow.WorkflowId(await alice.CreateWorkflowAsync(Flow.SimpleWorkflow(Flow.Alpha, Flow.Beta))),
        ];
        List<string> bobs = [Flow.WorkflowId(await bob.CreateWorkflowAsync(Flow.SimpleWorkflow(Flow.Beta)))];
        // A change after creation writes the workflow again: it stays bob's.
        Assert.Equal(200, (await bob.AbortAsync(bobs[0])).Status);

        foreach (var generation in new[] { "v0", "v1" })
        {
            Assert.Equal(alices.Order(StringComparer.Ordinal), await FindAsync(alice, generation, mine: true));
            Assert.Equal(bobs, await FindAsync(bob, generation, mine: true));
            Assert.Empty(await FindAsync(tms, generation, mine: true));
            var everyone = alices.Concat(bobs).Order(StringComparer.Ordinal).ToList();
            foreach (var caller in new[] { alice, bob, tms })
            {
                Assert.Equal(everyone, await FindAsync(caller, generation, mine: null));
                Assert.Equal(everyone, await FindAsync(caller, generation, mine: false));
            }
            // With a filter: the filter and the creator both hold.
            var one = new JsonObject { ["workflow_id"] = alices[0] };
            Assert.Equal([alices[0]], await FindAsync(alice, generation, mine: true, one));
            Assert.Empty(await FindAsync(bob, generation, mine: true, one));
            Assert.Equal(bobs, await FindAsync(bob, generation, mine: true, new JsonObject { ["deactivated"] = "ABORTED" }));
        }
    }

    [Fact]
    public async Task WithAuthenticationOffTheCallersOwnAreThoseCreatedWithItOff()
    {
        // One database, served first with authentication on, then off.
        var minter = TokenMinter.Symmetric();
        string? database = null;
        string alices;
        await using (var on = await WmsServer.StartAsync(StorageMode.Postgres, s =>
        {
            minter.Configure(s);
            s["WMS_AUTH_DISABLED"] = null;
            database = s["WMS_POSTGRES"];
        }))
        {
            using var aliceHttp = Http(on, minter.User("alice"));
            alices = Flow.WorkflowId(await new UserClient(aliceHttp).CreateWorkflowAsync(Flow.SimpleWorkflow(Flow.Alpha)));
        }
        await using var off = await WmsServer.StartAsync(StorageMode.Postgres, s => s["WMS_POSTGRES"] = database);
        var anyone = new UserClient(off.Http);
        var unowned = Flow.WorkflowId(await anyone.CreateWorkflowAsync(Flow.SimpleWorkflow(Flow.Alpha)));

        foreach (var generation in new[] { "v0", "v1" })
        {
            Assert.Equal([unowned], await FindAsync(anyone, generation, mine: true));
            Assert.Equal(new[] { alices, unowned }.Order(StringComparer.Ordinal), await FindAsync(anyone, generation, mine: false));
        }
    }

    [Fact]
    public async Task AnythingButABooleanIsRefused()
    {
        await using var server = await WmsServer.StartAsync();
        var user = new UserClient(server.Http);
        foreach (var generation in new[] { "v0", "v1" })
        {
            foreach (var bad in new JsonNode?[] { "yes", "true", 1, 0, null, new JsonArray(), new JsonObject() })
            {
                var answer = await user.PostAsync($"{generation}/query/workflows",
                    new JsonObject { ["query"] = new JsonObject(), ["mine"] = bad });
                answer.AssertError(400, "mine must be true or false");
            }
            // The caller's own are workflows': the other finds know no such member.
            foreach (var kind in new[] { "taskforces", "task-directives" })
            {
                var answer = await user.PostAsync($"{generation}/query/{kind}",
                    new JsonObject { ["query"] = new JsonObject(), ["mine"] = true });
                answer.AssertError(400, "unknown field 'mine'");
            }
        }
    }

    private static HttpClient Http(WmsServer server, string token)
    {
        var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>The ids a find of workflows answers, sorted; on /v1 every page of it.</summary>
    private static async Task<List<string>> FindAsync(
        UserClient client, string generation, bool? mine, JsonObject? query = null)
    {
        var found = new List<string>();
        JsonNode? after = null;
        do
        {
            var body = new JsonObject
            {
                ["query"] = query?.DeepClone() ?? new JsonObject(),
                ["projection"] = new JsonArray("workflow_id"),
            };
            if (mine is { } value)
            {
                body["mine"] = value;
            }
            if (generation == "v1")
            {
                body["after"] = after;
            }
            var answer = await client.PostAsync($"{generation}/query/workflows", body);
            Assert.Equal(200, answer.Status);
            found.AddRange(answer.Object["workflows"]!.AsArray().Select(w => w!["workflow_id"]!.GetValue<string>()));
            after = answer.Object["next_after"]?.DeepClone();
        }
        while (after is not null);
        return [.. found.Order(StringComparer.Ordinal)];
    }
}
