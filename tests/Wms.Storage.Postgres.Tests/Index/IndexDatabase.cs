using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Wms.Query;
using Wms.Storage.Postgres.Index;
using Wms.Testing;

namespace Wms.Storage.Postgres.Tests.Index;

/// <summary>
/// A fresh database per test class, migrated the way a silo migrates it, with the index on top. It also holds a
/// scratch table of raw JSON documents, split into numbered spaces, for running filters through the SQL
/// translation over documents that are not WMS objects (the conformance table and the differential test).
/// </summary>
public sealed class IndexDatabase : IAsyncLifetime
{
    private int _lastSpace;

    public string ConnectionString { get; private set; } = "";

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public PostgresObjectIndex Index { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.SharedAsync();
        ConnectionString = await server.CreateDatabaseAsync("wms_index");
        await new SchemaMigrator().MigrateAsync(ConnectionString);
        DataSource = IndexDataSource.Create(ConnectionString);
        Index = new PostgresObjectIndex(DataSource);
        await ExecuteAsync("CREATE TABLE find_scratch (space integer NOT NULL, id text NOT NULL, doc jsonb NOT NULL)");
        await ExecuteAsync("CREATE INDEX find_scratch_space ON find_scratch (space)");
    }

    public async Task DisposeAsync()
    {
        await Index.DisposeAsync();
        await DataSource.DisposeAsync();
    }

    /// <summary>Empties the index tables, for tests of the global selections (launch, activation).</summary>
    public Task ResetAsync() => ExecuteAsync(
        "TRUNCATE public.wms_index_workflow, public.wms_index_task_directive, public.wms_index_taskforce");

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Stores raw documents (each with a string "id") in a new space of the scratch table.</summary>
    public async Task<int> LoadAsync(IEnumerable<JsonObject> docs)
    {
        var space = Interlocked.Increment(ref _lastSpace);
        await using var command = DataSource.CreateCommand(
            "INSERT INTO find_scratch (space, id, doc) SELECT $1, d ->> 'id', d FROM jsonb_array_elements($2) d");
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = space });
        command.Parameters.Add(new NpgsqlParameter
        {
            NpgsqlDbType = NpgsqlDbType.Jsonb,
            Value = new JsonArray([.. docs.Select(d => d.DeepClone())]).ToJsonString(),
        });
        await command.ExecuteNonQueryAsync();
        return space;
    }

    /// <summary>The ids of the documents in <paramref name="space"/> that the translated filter matches.</summary>
    public async Task<IReadOnlyList<string>> MatchAsync(int space, FilterNode filter)
    {
        var predicate = JsonbFilterTranslator.Translate(filter, "doc", firstParameter: 2);
        await using var command = DataSource.CreateCommand(
            $"SELECT id FROM find_scratch WHERE space = $1 AND ({predicate.Text})");
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = space });
        command.Parameters.AddRange(predicate.Parameters.ToArray());
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    /// <summary>
    /// Evaluates many filters over one space in a single statement (one boolean column per filter); returns, per
    /// filter, the ids it matches.
    /// </summary>
    public async Task<IReadOnlyList<HashSet<string>>> MatchManyAsync(int space, IReadOnlyList<FilterNode> filters)
    {
        var columns = new List<string>();
        var parameters = new List<NpgsqlParameter> { new NpgsqlParameter<int> { TypedValue = space } };
        foreach (var filter in filters)
        {
            var predicate = JsonbFilterTranslator.Translate(filter, "doc", firstParameter: parameters.Count + 1);
            columns.Add($"({predicate.Text})");
            parameters.AddRange(predicate.Parameters);
        }
        await using var command = DataSource.CreateCommand(
            $"SELECT id, {string.Join(", ", columns)} FROM find_scratch WHERE space = $1");
        command.Parameters.AddRange(parameters.ToArray());
        var matches = filters.Select(_ => new HashSet<string>(StringComparer.Ordinal)).ToList();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var id = reader.GetString(0);
            for (var i = 0; i < filters.Count; i++)
            {
                if (reader.GetBoolean(i + 1))
                {
                    matches[i].Add(id);
                }
            }
        }
        return matches;
    }
}
