using System.Data;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Wms.GrainInterfaces.Model;
using Wms.GrainInterfaces.Storage;
using Wms.Grains.Rules;
using Wms.Query;

namespace Wms.Storage.Postgres.Index;

/// <summary>
/// The query index in PostgreSQL (tables and functions of migration 0100). It gives the same answers as the
/// memory index: the same selection rules (<see cref="TaskforceSelection"/>, <see cref="ActivationQueue"/>) as
/// ORDER BY clauses, and finds with <see cref="FilterEvaluator"/>'s semantics through
/// <see cref="JsonbFilterTranslator"/>.
/// </summary>
public sealed class PostgresObjectIndex(NpgsqlDataSource dataSource) : IObjectIndex
{
    // A revision only ever moves forward: a late or repeated write matches no row and changes nothing.
    private const string UpsertWorkflow = """
        INSERT INTO public.wms_index_workflow AS t
            (id, revision, json, doc, awaiting, priority, timestamp, retry_at)
        VALUES ($1, $2, $3, coalesce($4, $3)::jsonb, $5, $6, $7, $8)
        ON CONFLICT (id) DO UPDATE SET
            revision = excluded.revision, json = excluded.json, doc = excluded.doc, awaiting = excluded.awaiting,
            priority = excluded.priority, timestamp = excluded.timestamp, retry_at = excluded.retry_at
        WHERE t.revision < excluded.revision
        """;

    private const string UpsertTaskDirective = """
        INSERT INTO public.wms_index_task_directive AS t (id, revision, json, doc, workflow_id)
        VALUES ($1, $2, $3, coalesce($4, $3)::jsonb, $5)
        ON CONFLICT (id) DO UPDATE SET
            revision = excluded.revision, json = excluded.json, doc = excluded.doc, workflow_id = excluded.workflow_id
        WHERE t.revision < excluded.revision
        """;

    private const string UpsertTaskforce = """
        INSERT INTO public.wms_index_taskforce AS t
            (id, revision, json, doc, workflow_id, collector, schedd, phase, priority, submit_failures, rm_failures,
             has_cluster_id, timestamp)
        VALUES ($1, $2, $3, coalesce($4, $3)::jsonb, $5, $6, $7, $8, $9, $10, $11, $12, $13)
        ON CONFLICT (id) DO UPDATE SET
            revision = excluded.revision, json = excluded.json, doc = excluded.doc,
            workflow_id = excluded.workflow_id, collector = excluded.collector, schedd = excluded.schedd,
            phase = excluded.phase, priority = excluded.priority, submit_failures = excluded.submit_failures,
            rm_failures = excluded.rm_failures, has_cluster_id = excluded.has_cluster_id,
            timestamp = excluded.timestamp
        WHERE t.revision < excluded.revision
        """;

    // TaskforceSelection.StarterOrder: highest priority, fewest failed submits, oldest, then uuid.
    internal const string NextStarter = """
        SELECT json FROM public.wms_index_taskforce
        WHERE phase = 'pending-starter' AND collector = $1 AND schedd = $2 AND submit_failures <= $3
        ORDER BY priority DESC, submit_failures, timestamp, id
        LIMIT 1
        """;

    // TaskforceSelection.StopperOrder: oldest, then uuid.
    internal const string NextStopper = """
        SELECT json FROM public.wms_index_taskforce
        WHERE phase = 'pending-stopper' AND collector = $1 AND schedd = $2 AND has_cluster_id AND rm_failures <= $3
        ORDER BY timestamp, id
        LIMIT 1
        """;

    // TaskforceSelection.LaunchOrder: highest priority, oldest, then uuid.
    internal const string Launch = """
        SELECT id FROM public.wms_index_taskforce
        WHERE phase = 'pre-launch'
        ORDER BY priority DESC, timestamp, id
        LIMIT $1
        """;

    // ActivationQueue.Order among the due ones (ActivationKeys.IsDue): retries first, highest priority, oldest, id.
    internal const string Activation = """
        SELECT id FROM public.wms_index_workflow
        WHERE awaiting AND (retry_at IS NULL OR retry_at <= $1)
        ORDER BY (retry_at IS NOT NULL) DESC, priority DESC, timestamp, id
        LIMIT $2
        """;

    // ActivationKeys.DueAt: a workflow without a running retry wait is due at once.
    private const string NextDue = """
        SELECT min(coalesce(retry_at, '-Infinity'::double precision)) FROM public.wms_index_workflow WHERE awaiting
        """;

    private readonly NpgsqlDataSource _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));

    public async Task WriteAsync(IndexBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);

        // Rows are written in one order (kind, then id) by every batch, so two batches sharing rows cannot
        // deadlock; the sort is stable, so repeats of one id keep their order.
        var commands = new List<NpgsqlBatchCommand>();
        commands.AddRange(batch.Workflows.OrderBy(v => v.Document.WorkflowId, StringComparer.Ordinal)
            .Select(WorkflowCommand));
        commands.AddRange(batch.TaskDirectives.OrderBy(v => v.Document.TaskId, StringComparer.Ordinal)
            .Select(TaskDirectiveCommand));
        commands.AddRange(batch.Taskforces.OrderBy(v => v.Document.TaskforceUuid, StringComparer.Ordinal)
            .Select(TaskforceCommand));
        if (commands.Count == 0)
        {
            return;
        }

        // One transaction: readers see the whole batch or none of it.
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var npgsqlBatch = new NpgsqlBatch(connection, transaction);
        foreach (var command in commands)
        {
            npgsqlBatch.BatchCommands.Add(command);
        }
        await npgsqlBatch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<byte[]?> GetJsonAsync(ObjectKind kind, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var sql = $"SELECT json FROM {IndexTable.Of(kind).Name} WHERE id = $1";
        return await SingleJsonAsync(sql, cancellationToken, Text(id));
    }

    public async IAsyncEnumerable<JsonObject> FindAsync(
        ObjectKind kind, FilterNode filter, Projection? projection,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var table = IndexTable.Of(kind);
        var predicate = JsonbFilterTranslator.Translate(filter, "doc", table.StringColumns);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT json FROM {table.Name} WHERE {predicate.Text}", connection);
        command.Parameters.AddRange(predicate.Parameters.ToArray());

        // Rows come off the wire one at a time; nothing holds the whole result.
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var document = (JsonObject)JsonNode.Parse(reader.GetString(0))!;
            yield return projection is null ? document : projection.Apply(document);
        }
    }

    public Task<byte[]?> NextPendingStarterAsync(
        string collector, string schedd, int maxFailures, CancellationToken cancellationToken = default) =>
        SingleJsonAsync(NextStarter, cancellationToken, Text(collector), Text(schedd), Int(maxFailures));

    public Task<byte[]?> NextPendingStopperAsync(
        string collector, string schedd, int maxFailures, CancellationToken cancellationToken = default) =>
        SingleJsonAsync(NextStopper, cancellationToken, Text(collector), Text(schedd), Int(maxFailures));

    public async Task<IReadOnlyList<string>> ActivationCandidatesAsync(
        double now, int limit, CancellationToken cancellationToken = default) =>
        limit <= 0 ? [] : await IdsAsync(Activation, cancellationToken, Double(now), Int(limit));

    public async Task<double?> NextActivationDueAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(NextDue);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is double due ? due : null;
    }

    public async Task<IReadOnlyList<string>> LaunchCandidatesAsync(
        int limit, CancellationToken cancellationToken = default) =>
        limit <= 0 ? [] : await IdsAsync(Launch, cancellationToken, Int(limit));

    private static NpgsqlBatchCommand WorkflowCommand(Versioned<WorkflowDocument> versioned)
    {
        var document = versioned.Document;
        var json = Encoding.UTF8.GetString(WireJson.ToUtf8(document));
        var keys = ActivationKeys.From(document);
        return Command(UpsertWorkflow,
            Text(document.WorkflowId), Long(versioned.Revision), Text(json), NullableText(JsonbTextOrNull(json)),
            new NpgsqlParameter<bool> { TypedValue = keys is not null },
            Int(document.Priority),
            Double(document.Timestamp),
            new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Double, Value = (object?)document.MqActivationRetryAtTs ?? DBNull.Value });
    }

    private static NpgsqlBatchCommand TaskDirectiveCommand(Versioned<TaskDirectiveDocument> versioned)
    {
        var document = versioned.Document;
        var json = Encoding.UTF8.GetString(WireJson.ToUtf8(document));
        return Command(UpsertTaskDirective,
            Text(document.TaskId), Long(versioned.Revision), Text(json), NullableText(JsonbTextOrNull(json)),
            Text(document.WorkflowId));
    }

    private static NpgsqlBatchCommand TaskforceCommand(Versioned<TaskforceDocument> versioned)
    {
        var document = versioned.Document;
        var json = Encoding.UTF8.GetString(WireJson.ToUtf8(document));
        var keys = TaskforceSelectionKeys.From(document);
        return Command(UpsertTaskforce,
            Text(keys.Uuid), Long(versioned.Revision), Text(json), NullableText(JsonbTextOrNull(json)),
            Text(document.WorkflowId), Text(keys.Collector), Text(keys.Schedd), Text(keys.Phase),
            Long(keys.Priority), Int(keys.SubmitFailures), Int(keys.RmFailures),
            new NpgsqlParameter<bool> { TypedValue = keys.HasClusterId },
            Double(keys.Timestamp));
    }

    /// <summary>
    /// jsonb cannot hold U+0000, which the wire JSON may carry (escaped) in any user-given string. The text
    /// column keeps it; the queried copy has it replaced by U+FFFD. Null when the text needs no change.
    /// </summary>
    internal static string? JsonbTextOrNull(string json) =>
        json.Contains("\\u0000", StringComparison.Ordinal) ? WithoutNul(JsonNode.Parse(json))?.ToJsonString() : null;

    private static JsonNode? WithoutNul(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var cleanObject = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    cleanObject[key.Replace('\0', '\uFFFD')] = WithoutNul(value);
                }
                return cleanObject;
            case JsonArray array:
                var cleanArray = new JsonArray();
                foreach (var item in array)
                {
                    cleanArray.Add(WithoutNul(item));
                }
                return cleanArray;
            case JsonValue value when value.TryGetValue(out string? text):
                return JsonValue.Create(text.Replace('\0', '\uFFFD'));
            default:
                return node?.DeepClone();
        }
    }

    private async Task<byte[]?> SingleJsonAsync(
        string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is string json ? Encoding.UTF8.GetBytes(json) : null;
    }

    private async Task<IReadOnlyList<string>> IdsAsync(
        string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Text(string value) => new NpgsqlParameter<string> { TypedValue = value };

    private static NpgsqlParameter NullableText(string? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Int(int value) => new NpgsqlParameter<int> { TypedValue = value };

    private static NpgsqlParameter Long(long value) => new NpgsqlParameter<long> { TypedValue = value };

    private static NpgsqlParameter Double(double value) => new NpgsqlParameter<double> { TypedValue = value };
}
