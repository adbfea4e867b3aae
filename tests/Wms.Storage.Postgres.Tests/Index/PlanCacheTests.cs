using Npgsql;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Storage.Postgres.Index;
using static Wms.Storage.Postgres.Tests.Index.IndexDocs;

namespace Wms.Storage.Postgres.Tests.Index;

/// <summary>
/// The index's fixed statements are planned once per connection, not on every execution: PostgreSQL would
/// otherwise keep planning each one anew for the length of its array of keys.
/// </summary>
public sealed class PlanCacheTests(IndexDatabase database) : IClassFixture<IndexDatabase>
{
    [Fact]
    public async Task ReadsPollsAndWritesReuseOnePlan()
    {
        await database.ResetAsync();
        // One connection, so that every statement and the final look at its prepared statements share a session.
        await using var dataSource = IndexDataSource.Create($"{database.ConnectionString};Maximum Pool Size=1");
        await using var index = new PostgresObjectIndex(dataSource);
        var taskforces = Enumerable.Range(0, 30).Select(i => Taskforce(Phase.PendingStarter, timestamp: i)).ToArray();
        foreach (var taskforce in taskforces)
        {
            await index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(taskforce, 1)));
        }
        foreach (var taskforce in taskforces)
        {
            Assert.NotNull(await index.GetJsonAsync(ObjectKind.Taskforce, taskforce.TaskforceUuid));
            Assert.NotNull(await index.NextPendingStarterAsync("COLLECTOR1", "SCHEDD1", 2));
        }

        var plans = await PlansAsync(dataSource);
        Assert.Contains(plans, p => p.Statement.Contains("JOIN public.wms_index_taskforce t ON t.id = k.id", StringComparison.Ordinal));
        Assert.Contains(plans, p => p.Statement.Contains("INSERT INTO public.wms_index_taskforce", StringComparison.Ordinal));
        Assert.Contains(plans, p => p.Statement.Contains("LIMIT 1) t", StringComparison.Ordinal));
        Assert.All(plans, p =>
        {
            Assert.Equal(0, p.Custom);
            Assert.True(p.Generic > 0, p.Statement);
        });
    }

    [Fact]
    public void AnOperatorsOwnPlanSettingIsKept()
    {
        var added = new NpgsqlConnectionStringBuilder(IndexDataSource.ConnectionString("Host=db;Options=-c work_mem=8MB"));
        Assert.Equal("-c work_mem=8MB -c plan_cache_mode=force_generic_plan", added.Options);

        var given = new NpgsqlConnectionStringBuilder(
            IndexDataSource.ConnectionString("Host=db;Options=-c plan_cache_mode=auto"));
        Assert.Equal("-c plan_cache_mode=auto", given.Options);
    }

    private static async Task<List<(string Statement, long Generic, long Custom)>> PlansAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements WHERE statement NOT LIKE '%pg_prepared_statements%'");
        await using var reader = await command.ExecuteReaderAsync();
        var plans = new List<(string, long, long)>();
        while (await reader.ReadAsync())
        {
            plans.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }
        return plans;
    }
}
