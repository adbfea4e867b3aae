using System.Text;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Npgsql;
using NpgsqlTypes;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Domain.Rules;

namespace Wms.Storage.Postgres.Index;

/// <summary>
/// One object's row of the index (migrations 0100, 0104 and 0109), its columns computed once, and the upserts that write many rows
/// in one statement per kind.
/// </summary>
internal abstract class IndexRow
{
    // Rows as arrays, one element per object, in the order given. A revision only ever moves forward: a late or
    // repeated write matches no row and changes nothing.
    private const string UpsertWorkflows = """
        INSERT INTO public.wms_index_workflow AS t
            (id, revision, json, doc, awaiting, priority, timestamp, retry_at, created_by)
        SELECT u.id, u.revision, u.json, coalesce(u.doc, u.json)::jsonb, u.awaiting, u.priority, u.timestamp,
            u.retry_at, u.created_by
        FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::boolean[], $6::integer[],
                    $7::double precision[], $8::double precision[], $9::text[])
            AS u(id, revision, json, doc, awaiting, priority, timestamp, retry_at, created_by)
        ON CONFLICT (id) DO UPDATE SET
            revision = excluded.revision, json = excluded.json, doc = excluded.doc, awaiting = excluded.awaiting,
            priority = excluded.priority, timestamp = excluded.timestamp, retry_at = excluded.retry_at,
            created_by = excluded.created_by
        WHERE t.revision < excluded.revision
        """;

    private const string UpsertTaskDirectives = """
        INSERT INTO public.wms_index_task_directive AS t (id, revision, json, doc, workflow_id, timestamp)
        SELECT u.id, u.revision, u.json, coalesce(u.doc, u.json)::jsonb, u.workflow_id, u.timestamp
        FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::double precision[])
            AS u(id, revision, json, doc, workflow_id, timestamp)
        ON CONFLICT (id) DO UPDATE SET
            revision = excluded.revision, json = excluded.json, doc = excluded.doc, workflow_id = excluded.workflow_id,
            timestamp = excluded.timestamp
        WHERE t.revision < excluded.revision
        """;

    private const string UpsertTaskforces = """
        INSERT INTO public.wms_index_taskforce AS t
            (id, revision, json, doc, workflow_id, collector, schedd, phase, priority, submit_failures, rm_failures,
             has_cluster_id, timestamp, tf_priority)
        SELECT u.id, u.revision, u.json, coalesce(u.doc, u.json)::jsonb, u.workflow_id, u.collector, u.schedd,
            u.phase, u.priority, u.submit_failures, u.rm_failures, u.has_cluster_id, u.timestamp, u.tf_priority
        FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                    $8::text[], $9::bigint[], $10::integer[], $11::integer[], $12::boolean[],
                    $13::double precision[], $14::integer[])
            AS u(id, revision, json, doc, workflow_id, collector, schedd, phase, priority, submit_failures,
                 rm_failures, has_cluster_id, timestamp, tf_priority)
        ON CONFLICT (id) DO UPDATE SET
            revision = excluded.revision, json = excluded.json, doc = excluded.doc,
            workflow_id = excluded.workflow_id, collector = excluded.collector, schedd = excluded.schedd,
            phase = excluded.phase, priority = excluded.priority, submit_failures = excluded.submit_failures,
            rm_failures = excluded.rm_failures, has_cluster_id = excluded.has_cluster_id,
            timestamp = excluded.timestamp, tf_priority = excluded.tf_priority
        WHERE t.revision < excluded.revision
        """;

    private IndexRow(int kind, string id, long revision, byte[] json)
    {
        Kind = kind;
        Id = id;
        Revision = revision;
        // The serialiser writes valid UTF-8; should it ever not, the text column gets what a string round trip
        // makes of it (U+FFFD for each invalid sequence) rather than the server refusing the bytes.
        Json = Utf8.IsValid(json) ? json : Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(json));
        Doc = JsonbTextOrNull(Json);
    }

    /// <summary>The kind's place in the write order: workflows, then task directives, then taskforces.</summary>
    public int Kind { get; }

    public string Id { get; }

    public long Revision { get; }

    /// <summary>The wire JSON's UTF-8 bytes, sent as they are for the text column: no string in between.</summary>
    public byte[] Json { get; }

    /// <summary>The text the jsonb copy is made of, when it must differ from <see cref="Json"/>.</summary>
    public string? Doc { get; }

    /// <summary>A batch's rows in the write order: by kind, then id; repeats of one id keep their order.</summary>
    public static IndexRow[] Of(IndexBatch batch) =>
    [
        .. batch.Workflows.OrderBy(v => v.Document.WorkflowId, StringComparer.Ordinal)
            .Select(v => new WorkflowRow(v, batch.CreatorOf(v.Document.WorkflowId))),
        .. batch.TaskDirectives.OrderBy(v => v.Document.TaskId, StringComparer.Ordinal)
            .Select(v => new TaskDirectiveRow(v)),
        .. batch.Taskforces.OrderBy(v => v.Document.TaskforceUuid, StringComparer.Ordinal)
            .Select(v => new TaskforceRow(v)),
    ];

    /// <summary>
    /// Adds the upserts of a group of batches, at most one statement per kind. Every transaction writes its rows
    /// in one global order (kind, then id), so two transactions sharing rows cannot deadlock.
    /// </summary>
    public static void AddUpserts(NpgsqlBatch npgsqlBatch, IReadOnlyList<IndexRow[]> group)
    {
        // Stable: repeats of one id stay in the order the batches came in, and in each batch's own order.
        var rows = group.Count == 1
            ? group[0]
            : [.. group.SelectMany(b => b).OrderBy(r => r.Kind).ThenBy(r => r.Id, StringComparer.Ordinal)];

        var workflows = Latest<WorkflowRow>(rows);
        if (workflows.Count > 0)
        {
            npgsqlBatch.BatchCommands.Add(Command(UpsertWorkflows,
                Column(workflows, r => r.Id), Column(workflows, r => r.Revision), JsonColumn(workflows),
                DocColumn(workflows), Column(workflows, r => r.Awaiting), Column(workflows, r => r.Priority),
                Column(workflows, r => r.Timestamp), Column(workflows, r => r.RetryAt),
                Column(workflows, r => r.CreatedBy)));
        }
        var directives = Latest<TaskDirectiveRow>(rows);
        if (directives.Count > 0)
        {
            npgsqlBatch.BatchCommands.Add(Command(UpsertTaskDirectives,
                Column(directives, r => r.Id), Column(directives, r => r.Revision), JsonColumn(directives),
                DocColumn(directives), Column(directives, r => r.WorkflowId), Column(directives, r => r.Timestamp)));
        }
        var taskforces = Latest<TaskforceRow>(rows);
        if (taskforces.Count > 0)
        {
            npgsqlBatch.BatchCommands.Add(Command(UpsertTaskforces,
                Column(taskforces, r => r.Id), Column(taskforces, r => r.Revision), JsonColumn(taskforces),
                DocColumn(taskforces), Column(taskforces, r => r.WorkflowId), Column(taskforces, r => r.Collector),
                Column(taskforces, r => r.Schedd), Column(taskforces, r => r.Phase),
                Column(taskforces, r => r.Priority), Column(taskforces, r => r.SubmitFailures),
                Column(taskforces, r => r.RmFailures), Column(taskforces, r => r.HasClusterId),
                Column(taskforces, r => r.Timestamp), Column(taskforces, r => r.TaskforcePriority)));
        }
    }

    /// <summary>
    /// One row per id, as one statement may not update a row twice: of an id's repeats, in their order, the first
    /// with the highest revision, which is what would stand had they been written one after the other.
    /// </summary>
    private static List<TRow> Latest<TRow>(IndexRow[] rows) where TRow : IndexRow
    {
        var latest = new List<TRow>();
        foreach (var row in rows.OfType<TRow>())
        {
            if (latest.Count > 0 && latest[^1].Id == row.Id)
            {
                if (row.Revision > latest[^1].Revision)
                {
                    latest[^1] = row;
                }
            }
            else
            {
                latest.Add(row);
            }
        }
        return latest;
    }

    /// <summary>
    /// jsonb cannot hold U+0000, which the wire JSON may carry (escaped) in any user-given string. The text
    /// column keeps it; the queried copy has it replaced by U+FFFD. Null when the text needs no change.
    /// </summary>
    internal static string? JsonbTextOrNull(byte[] json) =>
        json.AsSpan().IndexOf("\\u0000"u8) >= 0 ? WithoutNul(JsonNode.Parse(json))?.ToJsonString() : null;

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

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter<TValue[]> Column<TRow, TValue>(List<TRow> rows, Func<TRow, TValue> value) =>
        new() { TypedValue = [.. rows.Select(value)] };

    // Raw UTF-8 for a text[] parameter: Npgsql sends byte arrays as the text's bytes when told the type.
    private static NpgsqlParameter JsonColumn<TRow>(List<TRow> rows) where TRow : IndexRow =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = rows.Select(r => r.Json).ToArray() };

    private static NpgsqlParameter DocColumn<TRow>(List<TRow> rows) where TRow : IndexRow =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = rows.Select(r => r.Doc).ToArray() };

    private sealed class WorkflowRow(Versioned<WorkflowDocument> versioned, string? createdBy)
        : IndexRow(0, versioned.Document.WorkflowId, versioned.Revision, WireJson.ToUtf8(versioned.Document))
    {
        public string? CreatedBy { get; } = createdBy;

        public bool Awaiting { get; } = ActivationKeys.From(versioned.Document) is not null;

        public int Priority { get; } = versioned.Document.Priority;

        public double Timestamp { get; } = versioned.Document.Timestamp;

        public double? RetryAt { get; } = versioned.Document.MqActivationRetryAtTs;
    }

    private sealed class TaskDirectiveRow(Versioned<TaskDirectiveDocument> versioned)
        : IndexRow(1, versioned.Document.TaskId, versioned.Revision, WireJson.ToUtf8(versioned.Document))
    {
        public string WorkflowId { get; } = versioned.Document.WorkflowId;

        public double Timestamp { get; } = versioned.Document.Timestamp;
    }

    private sealed class TaskforceRow(Versioned<TaskforceDocument> versioned)
        : IndexRow(2, versioned.Document.TaskforceUuid, versioned.Revision, WireJson.ToUtf8(versioned.Document))
    {
        private readonly TaskforceSelectionKeys _keys = TaskforceSelectionKeys.From(versioned.Document);

        public string WorkflowId { get; } = versioned.Document.WorkflowId;

        public string Collector => _keys.Collector;

        public string Schedd => _keys.Schedd;

        public string Phase => _keys.Phase;

        public long Priority => _keys.Priority;

        public int SubmitFailures => _keys.SubmitFailures;

        public int RmFailures => _keys.RmFailures;

        public bool HasClusterId => _keys.HasClusterId;

        public double Timestamp => _keys.Timestamp;

        public int TaskforcePriority => _keys.TaskforcePriority;
    }
}
