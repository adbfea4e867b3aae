using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Wms.Storage.Postgres.Tests.OrleansProviders;

/// <summary>
/// How PostgreSQL finds the row a grain state write changes, on a table that has no statistics yet (a new database
/// under load, its running set written a few times over): by the hashes, reading one row, not by the part of the
/// identity that string keys leave at zero.
/// </summary>
public sealed class GrainStatePlanTests
{
    private const int Rows = 10_000;

    /// <summary>Writes of the whole running set before the one explained, as a TMS's reports make.</summary>
    private const int Rounds = 3;
    private const string StateName = "Wms.GrainInterfaces.State.TaskforceState";

    [Fact]
    public async Task AWriteOnAnUnanalysedTableReadsOnlyTheRowItChanges()
    {
        var connectionString = await OrleansTestDatabase.CreateMigratedAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        // String-keyed grains, as the service's are: N0 and N1 are 0 in every row; a taskforce's state is a
        // kilobyte or two.
        await using (var fill = dataSource.CreateCommand("""
            INSERT INTO orleans.grain_state
                (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension, grain_id_hash, grain_type_hash,
                 payload, version)
            SELECT 'wms', $1, 0, 0, 'tf-' || i, i, 7, decode(repeat('ab', 1500), 'hex'), 1
            FROM generate_series(1, $2) AS i
            """))
        {
            fill.Parameters.Add(new NpgsqlParameter { Value = StateName, NpgsqlDbType = NpgsqlDbType.Text });
            fill.Parameters.Add(new NpgsqlParameter { Value = Rows, NpgsqlDbType = NpgsqlDbType.Integer });
            await fill.ExecuteNonQueryAsync();
        }
        for (var round = 0; round < Rounds; round++)
        {
            await using var rewrite = dataSource.CreateCommand(
                "UPDATE orleans.grain_state SET version = version + 1, modified_at = now()");
            await rewrite.ExecuteNonQueryAsync();
        }
        string write;
        await using (var query = dataSource.CreateCommand(
            "SELECT querytext FROM orleans.orleansquery WHERE querykey = 'WriteToStorageKey'"))
        {
            write = (string)(await query.ExecuteScalarAsync())!;
        }

        // A one-off statement is planned for its values, as the first executions of a prepared one are.
        await using var explain = dataSource.CreateCommand($"EXPLAIN (ANALYZE, FORMAT JSON) {write}");
        explain.Parameters.AddWithValue("PayloadBinary", new byte[] { 1 });
        explain.Parameters.AddWithValue("GrainIdHash", 1500);
        explain.Parameters.AddWithValue("GrainTypeHash", 7);
        explain.Parameters.AddWithValue("ServiceId", "wms");
        explain.Parameters.AddWithValue("GrainTypeString", StateName);
        explain.Parameters.AddWithValue("GrainIdN0", 0L);
        explain.Parameters.AddWithValue("GrainIdN1", 0L);
        explain.Parameters.AddWithValue("GrainIdExtensionString", "tf-1500");
        explain.Parameters.AddWithValue("GrainStateVersion", 1 + Rounds);
        var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!);

        var scans = Nodes(plan.RootElement[0].GetProperty("Plan"))
            .Where(n => n.GetProperty("Node Type").GetString() is "Index Scan" or "Seq Scan" or "Bitmap Heap Scan")
            .ToList();
        var scan = Assert.Single(scans);
        var removed = scan.TryGetProperty("Rows Removed by Filter", out var r) ? r.GetInt64() : 0;
        Assert.True(removed <= 1,
            $"the write's {scan.GetProperty("Node Type").GetString()} read {removed} rows it did not change " +
            $"(index: {(scan.TryGetProperty("Index Name", out var index) ? index.GetString() : "none")})");
    }

    private static IEnumerable<JsonElement> Nodes(JsonElement node)
    {
        yield return node;
        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray().SelectMany(Nodes))
            {
                yield return child;
            }
        }
    }
}
