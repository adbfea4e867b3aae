using System.Data;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Npgsql;
using Wms.Domain.Index;
using Wms.Domain.Rules;
using Wms.Query;

namespace Wms.Storage.Postgres.Index;

/// <summary>
/// The query index in PostgreSQL (tables and functions of migration 0100; what /v1 reads came with 0104). It gives
/// the same answers as the memory index: the same selection rules (<see cref="TaskforceSelection"/>,
/// <see cref="ActivationOrder"/>) as ORDER BY clauses, and finds with <see cref="FilterEvaluator"/>'s semantics
/// through <see cref="JsonbFilterTranslator"/>.
/// </summary>
public sealed class PostgresObjectIndex : IObjectIndex, IAsyncDisposable, IDisposable
{
    // TaskforceSelection.LaunchOrder: highest taskforce priority, highest worker priority, oldest, then uuid.
    internal const string Launch = """
        SELECT id FROM public.wms_index_taskforce
        WHERE phase = 'pre-launch'
        ORDER BY tf_priority DESC, priority DESC, timestamp, id
        LIMIT $1
        """;

    // Positions in the launch order above, and the queue's length in a row of its own (a null id): read from the
    // launch index, which holds the pre-launch taskforces only.
    internal const string LaunchPositions = """
        WITH queue AS (
            SELECT id, row_number() OVER (ORDER BY tf_priority DESC, priority DESC, timestamp, id) AS position
            FROM public.wms_index_taskforce
            WHERE phase = 'pre-launch'
        )
        SELECT NULL::text, count(*) FROM queue
        UNION ALL
        SELECT id, position FROM queue WHERE id = ANY($1)
        """;

    // ActivationOrder.Order among the due ones (ActivationKeys.IsDue): retries first, highest priority, oldest, id.
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

    // Answered from the workflow index, which carries the phase (migration 0106), where the table's pages are all
    // visible; the planner reads the table instead when too few are.
    internal const string PhaseCounts = """
        SELECT phase, count(*) FROM public.wms_index_taskforce GROUP BY phase
        """;

    // One group of up to a few hundred rows costs PostgreSQL little more than one row, and a second group in flight
    // overlaps one group's round trip with the next one's work; more groups only split the waiting writes into
    // smaller, costlier groups.
    internal const int DefaultMaxGroupRows = 500;
    internal const int DefaultMaxGroupsInFlight = 2;

    // Rows a page read asks for per statement: a consumer that stops early has cost at most one such chunk, and a
    // chunk of a few hundred documents (under a megabyte) is what one round trip carries well.
    internal const int DefaultPageChunkRows = 256;

    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _findSource;
    private readonly Coalescer<IndexRow[]> _writes;
    private readonly GroupedReads _reads;
    private readonly int _pageChunkRows;
    private long _pageStatements;

    /// <param name="dataSource">
    /// For the fixed statements; best made by <see cref="IndexDataSource.Create"/>, which prepares them and plans
    /// each once.
    /// </param>
    /// <param name="findSource">For finds (<see cref="IndexDataSource.CreateForFinds"/>); the first one if none.</param>
    public PostgresObjectIndex(NpgsqlDataSource dataSource, NpgsqlDataSource? findSource = null)
        : this(dataSource, DefaultMaxGroupRows, DefaultMaxGroupsInFlight, findSource)
    {
    }

    internal PostgresObjectIndex(
        NpgsqlDataSource dataSource, int maxGroupRows, int maxGroupsInFlight, NpgsqlDataSource? findSource = null,
        int pageChunkRows = DefaultPageChunkRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageChunkRows, 1);
        _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
        _findSource = findSource ?? dataSource;
        _pageChunkRows = pageChunkRows;
        _writes = new Coalescer<IndexRow[]>(CommitAsync, rows => rows.Length, maxGroupRows, maxGroupsInFlight);
        _reads = new GroupedReads(dataSource);
    }

    /// <summary>
    /// Concurrent writes share transactions: each batch joins the next group to be committed, and the task
    /// completes once that group's transaction has (or fails with it). A merged transaction is all or nothing
    /// too, so readers still see each batch whole or not at all.
    /// </summary>
    public Task WriteAsync(IndexBatch batch, CancellationToken cancellationToken = default)
    {
        IndexRow[] rows;
        try
        {
            ArgumentNullException.ThrowIfNull(batch);
            // Serialised on the caller's thread, so a document that cannot be written fails its own caller only.
            rows = IndexRow.Of(batch);
        }
        catch (Exception error)
        {
            // Through the task, as from any asynchronous method.
            return Task.FromException(error);
        }
        return rows.Length == 0 ? Task.CompletedTask : _writes.SubmitAsync(rows, cancellationToken);
    }

    /// <summary>Statements the reads by id and the polls have run, for the tests.</summary>
    internal long ReadStatements => _reads.Statements;

    /// <summary>Statements the page reads have run, for the tests.</summary>
    internal long PageStatements => Interlocked.Read(ref _pageStatements);

    /// <summary>Refuses further writes and reads, and waits for those already accepted to be done.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writes.DisposeAsync();
        await _reads.DisposeAsync();
    }

    /// <summary>As <see cref="DisposeAsync"/>, for a container disposed synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Commits one group of batches as one transaction.</summary>
    private async Task CommitAsync(IReadOnlyList<IndexRow[]> group)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        // No explicit transaction: PostgreSQL runs a batch (everything up to its one Sync) as one implicit
        // transaction, all or nothing, which saves the round trip of a COMMIT.
        await using var npgsqlBatch = new NpgsqlBatch(connection) { EnableErrorBarriers = false };
        IndexRow.AddUpserts(npgsqlBatch, group);
        try
        {
            await npgsqlBatch.ExecuteNonQueryAsync();
        }
        catch (PostgresException error)
            when (connection.FullState == ConnectionState.Open && RefusedGroupException.IsRefusal(error))
        {
            throw new RefusedGroupException(error);
        }
    }

    public Task<byte[]?> GetJsonAsync(ObjectKind kind, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _reads.ByIdAsync(IndexTable.Of(kind), id, cancellationToken);
    }

    public async IAsyncEnumerable<JsonObject> FindAsync(
        ObjectKind kind, FilterNode filter, Projection? projection, Creator? createdBy = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var table = IndexTable.Of(kind);
        var predicate = WithCreator(kind, createdBy, 1,
            JsonbFilterTranslator.Translate(filter, "doc", table.StringColumns, integerColumns: table.IntegerColumns));
        await using var connection = await _findSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT json FROM {table.Name} WHERE {predicate.Text}", connection);
        command.Parameters.AddRange(predicate.Parameters.ToArray());

        // Rows come off the wire one at a time; nothing holds the whole result.
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var document = (JsonObject)JsonNode.Parse(reader.GetFieldValue<byte[]>(0))!;
            yield return projection is null ? document : projection.Apply(document);
        }
    }

    /// <summary>
    /// Reads the page in chunks, one keyset statement each, that start strictly after the last row of the chunk
    /// before. Each chunk is read whole and its connection returned before the first of its objects is handed
    /// out, so a slow consumer holds no connection, and one that stops early leaves the rest unread. A chunk
    /// carries only matching rows: the filter is evaluated in the statement, as for <see cref="FindAsync"/>.
    /// </summary>
    public async IAsyncEnumerable<FoundObject> FindPageAsync(
        ObjectKind kind, FilterNode filter, Projection? projection, FindPosition? after, Creator? createdBy = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var table = IndexTable.Of(kind);
        var position = after;
        var more = true;
        while (more)
        {
            var chunk = await ReadPageChunkAsync(kind, table, filter, createdBy, position, cancellationToken);
            foreach (var (json, found) in chunk)
            {
                var document = (JsonObject)JsonNode.Parse(json)!;
                yield return new FoundObject(projection is null ? document : projection.Apply(document), found);
            }
            // A short chunk was the end; a full one may have more behind it.
            more = chunk.Count == _pageChunkRows;
            if (more)
            {
                position = chunk[^1].Position;
            }
        }
    }

    /// <summary>
    /// The statement of one chunk of a page: the first (no position; the filter's parameters from <c>$2</c>) or a
    /// later one (from <c>$4</c>). The row comparison is answered by the kind's <c>(timestamp, id)</c> index
    /// (migration 0104), whose ids are in the "C" collation: the ordinal order of the memory index.
    /// </summary>
    internal static string PageStatement(IndexTable table, string predicate, bool resumes) => resumes
        ? $"""
            SELECT json, timestamp, id FROM {table.Name}
            WHERE (timestamp, id) > ($1, $2) AND ({predicate})
            ORDER BY timestamp, id
            LIMIT $3
            """
        : $"""
            SELECT json, timestamp, id FROM {table.Name}
            WHERE {predicate}
            ORDER BY timestamp, id
            LIMIT $1
            """;

    private async Task<List<(byte[] Json, FindPosition Position)>> ReadPageChunkAsync(
        ObjectKind kind, IndexTable table, FilterNode filter, Creator? createdBy, FindPosition? after,
        CancellationToken cancellationToken)
    {
        // Translated for each statement: a parameter belongs to one command only.
        var first = after is null ? 2 : 4;
        var predicate = WithCreator(kind, createdBy, first,
            JsonbFilterTranslator.Translate(filter, "doc", table.StringColumns, first, table.IntegerColumns));
        await using var connection = await _findSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(PageStatement(table, predicate.Text, after is not null), connection);
        if (after is not null)
        {
            command.Parameters.Add(Double(after.Timestamp));
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = after.Id });
        }
        command.Parameters.Add(Int(_pageChunkRows));
        command.Parameters.AddRange(predicate.Parameters.ToArray());
        Interlocked.Increment(ref _pageStatements);

        var chunk = new List<(byte[] Json, FindPosition Position)>();
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var json = reader.GetFieldValue<byte[]>(0);
            chunk.Add((json, new FindPosition(reader.GetDouble(1), reader.GetString(2))));
        }
        return chunk;
    }

    /// <summary>
    /// The predicate narrowed to one creator's workflows (migration 0109), the subject a parameter numbered after the
    /// predicate's own, which start at <paramref name="firstParameter"/>.
    /// </summary>
    internal static SqlPredicate WithCreator(
        ObjectKind kind, Creator? createdBy, int firstParameter, SqlPredicate predicate)
    {
        if (createdBy is null)
        {
            return predicate;
        }
        if (kind != ObjectKind.Workflow)
        {
            throw new ArgumentException("only workflows record their creator", nameof(createdBy));
        }
        if (createdBy.Subject is null)
        {
            return predicate with { Text = $"created_by IS NULL AND ({predicate.Text})" };
        }
        var number = firstParameter + predicate.Parameters.Count;
        return new SqlPredicate($"created_by = ${number.ToString(CultureInfo.InvariantCulture)} AND ({predicate.Text})",
            [.. predicate.Parameters, new NpgsqlParameter<string> { TypedValue = createdBy.Subject }]);
    }

    public Task<byte[]?> NextPendingStarterAsync(
        string collector, string schedd, int maxFailures, CancellationToken cancellationToken = default) =>
        _reads.NextStarterAsync(collector, schedd, maxFailures, cancellationToken);

    public Task<byte[]?> NextPendingStopperAsync(
        string collector, string schedd, int maxFailures, CancellationToken cancellationToken = default) =>
        _reads.NextStopperAsync(collector, schedd, maxFailures, cancellationToken);

    public Task<byte[]?> NextPendingStarterAtScheddAsync(
        string schedd, int maxFailures, CancellationToken cancellationToken = default) =>
        _reads.NextScheddStarterAsync(schedd, maxFailures, cancellationToken);

    public Task<byte[]?> NextPendingStopperAtScheddAsync(
        string schedd, int maxFailures, CancellationToken cancellationToken = default) =>
        _reads.NextScheddStopperAsync(schedd, maxFailures, cancellationToken);

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

    public async Task<LaunchQueuePositions> LaunchPositionsAsync(
        IReadOnlyCollection<string> taskforceUuids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskforceUuids);
        await using var command = _dataSource.CreateCommand(LaunchPositions);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. taskforceUuids] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        var length = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var count = checked((int)reader.GetInt64(1));
            if (reader.IsDBNull(0))
            {
                length = count;
            }
            else
            {
                positions[reader.GetString(0)] = count;
            }
        }
        return new LaunchQueuePositions(positions, length);
    }

    public async Task<IReadOnlyDictionary<string, long>> CountTaskforcesByPhaseAsync(
        CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(PhaseCounts);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }
        return counts;
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

    private static NpgsqlParameter<int> Int(int value) => new NpgsqlParameter<int> { TypedValue = value };

    private static NpgsqlParameter<double> Double(double value) => new NpgsqlParameter<double> { TypedValue = value };
}
