using Npgsql;

namespace Wms.Storage.Postgres.Index;

/// <summary>
/// Reads that arrive together share one statement: the documents asked for by id, and the TMS polls, each kind as
/// one query over arrays of keys. A read waits only while earlier groups are on their way, and its group's statement
/// starts after it arrived, so it still sees every write that completed before it was asked (read your writes).
/// </summary>
/// <remarks>
/// Under concurrent load most of a single-row read's cost, to the database and to this process, is the statement
/// itself (a round trip, a bind, an execute, the wake-ups on both sides), not the row.
/// </remarks>
internal sealed class GroupedReads : IAsyncDisposable
{
    // Under steady load a group holds a handful of reads; the bound only keeps a burst's statement small. One group
    // of a kind at a time: the reads that arrive meanwhile make the next group larger, and a larger group costs the
    // server less per read without costing latency.
    private const int MaxGroup = 64;
    private const int MaxGroupsInFlight = 1;

    // One taskforce per key, in the order of TaskforceSelection.StarterOrder, for every (collector, schedd, limit).
    private const string NextStarters = """
        SELECT k.n, t.json
        FROM unnest($1::text[], $2::text[], $3::int[]) WITH ORDINALITY AS k(collector, schedd, max_failures, n)
        CROSS JOIN LATERAL (
            SELECT json FROM public.wms_index_taskforce
            WHERE phase = 'pending-starter' AND collector = k.collector AND schedd = k.schedd
              AND submit_failures <= k.max_failures
            ORDER BY priority DESC, submit_failures, timestamp, id
            LIMIT 1) t
        """;

    // As NextStarters, in the order of TaskforceSelection.StopperOrder.
    private const string NextStoppers = """
        SELECT k.n, t.json
        FROM unnest($1::text[], $2::text[], $3::int[]) WITH ORDINALITY AS k(collector, schedd, max_failures, n)
        CROSS JOIN LATERAL (
            SELECT json FROM public.wms_index_taskforce
            WHERE phase = 'pending-stopper' AND collector = k.collector AND schedd = k.schedd AND has_cluster_id
              AND rm_failures <= k.max_failures
            ORDER BY timestamp, id
            LIMIT 1) t
        """;

    // The /v1 polls (migration 0104): one taskforce per (schedd, limit), whatever its collector, in the order of
    // TaskforceSelection.ScheddStarterOrder.
    private const string NextScheddStarters = """
        SELECT k.n, t.json
        FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS k(schedd, max_failures, n)
        CROSS JOIN LATERAL (
            SELECT json FROM public.wms_index_taskforce
            WHERE phase = 'pending-starter' AND schedd = k.schedd AND submit_failures <= k.max_failures
            ORDER BY tf_priority DESC, submit_failures, timestamp, id
            LIMIT 1) t
        """;

    // As NextScheddStarters, in the order of TaskforceSelection.StopperOrder.
    private const string NextScheddStoppers = """
        SELECT k.n, t.json
        FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS k(schedd, max_failures, n)
        CROSS JOIN LATERAL (
            SELECT json FROM public.wms_index_taskforce
            WHERE phase = 'pending-stopper' AND schedd = k.schedd AND has_cluster_id
              AND rm_failures <= k.max_failures
            ORDER BY timestamp, id
            LIMIT 1) t
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly Dictionary<IndexTable, Coalescer<ByIdRead>> _byId;
    private readonly Coalescer<PollRead> _starters;
    private readonly Coalescer<PollRead> _stoppers;
    private readonly Coalescer<ScheddPollRead> _scheddStarters;
    private readonly Coalescer<ScheddPollRead> _scheddStoppers;
    private long _statements;

    public GroupedReads(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _byId = new[] { IndexTable.Workflow, IndexTable.TaskDirective, IndexTable.Taskforce }.ToDictionary(
            table => table,
            table => new Coalescer<ByIdRead>(group => ReadByIdAsync(table, group), _ => 1, MaxGroup, MaxGroupsInFlight));
        _starters = new Coalescer<PollRead>(group => PollAsync(NextStarters, group), _ => 1, MaxGroup, MaxGroupsInFlight);
        _stoppers = new Coalescer<PollRead>(group => PollAsync(NextStoppers, group), _ => 1, MaxGroup, MaxGroupsInFlight);
        _scheddStarters = new Coalescer<ScheddPollRead>(
            group => ScheddPollAsync(NextScheddStarters, group), _ => 1, MaxGroup, MaxGroupsInFlight);
        _scheddStoppers = new Coalescer<ScheddPollRead>(
            group => ScheddPollAsync(NextScheddStoppers, group), _ => 1, MaxGroup, MaxGroupsInFlight);
    }

    /// <summary>Statements run so far, for the tests.</summary>
    internal long Statements => Interlocked.Read(ref _statements);

    /// <summary>Texts of the grouped polls, for the plan tests.</summary>
    internal static string StarterStatement => NextStarters;

    internal static string StopperStatement => NextStoppers;

    internal static string ScheddStarterStatement => NextScheddStarters;

    internal static string ScheddStopperStatement => NextScheddStoppers;

    public Task<byte[]?> ByIdAsync(IndexTable table, string id, CancellationToken cancellationToken) =>
        AnswerAsync(_byId[table], new ByIdRead(id), cancellationToken);

    public Task<byte[]?> NextStarterAsync(string collector, string schedd, int maxFailures, CancellationToken cancellationToken) =>
        AnswerAsync(_starters, new PollRead(collector, schedd, maxFailures), cancellationToken);

    public Task<byte[]?> NextStopperAsync(string collector, string schedd, int maxFailures, CancellationToken cancellationToken) =>
        AnswerAsync(_stoppers, new PollRead(collector, schedd, maxFailures), cancellationToken);

    public Task<byte[]?> NextScheddStarterAsync(string schedd, int maxFailures, CancellationToken cancellationToken) =>
        AnswerAsync(_scheddStarters, new ScheddPollRead(schedd, maxFailures), cancellationToken);

    public Task<byte[]?> NextScheddStopperAsync(string schedd, int maxFailures, CancellationToken cancellationToken) =>
        AnswerAsync(_scheddStoppers, new ScheddPollRead(schedd, maxFailures), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var group in _byId.Values)
        {
            await group.DisposeAsync();
        }
        await _starters.DisposeAsync();
        await _stoppers.DisposeAsync();
        await _scheddStarters.DisposeAsync();
        await _scheddStoppers.DisposeAsync();
    }

    private static async Task<byte[]?> AnswerAsync<TRead>(
        Coalescer<TRead> groups, TRead read, CancellationToken cancellationToken) where TRead : Read
    {
        await groups.SubmitAsync(read, cancellationToken);
        return read.Json;
    }

    private async Task ReadByIdAsync(IndexTable table, IReadOnlyList<ByIdRead> group)
    {
        Interlocked.Increment(ref _statements);
        // One row per read that found its document, numbered like the group (two reads of one id get one each).
        await using var command = _dataSource.CreateCommand(
            $"SELECT k.n, t.json FROM unnest($1::text[]) WITH ORDINALITY AS k(id, n) JOIN {table.Name} t ON t.id = k.id");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. group.Select(r => r.Id)] });
        await AnswerEachAsync(command, group);
    }

    private async Task PollAsync(string sql, IReadOnlyList<PollRead> group)
    {
        Interlocked.Increment(ref _statements);
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. group.Select(r => r.Collector)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. group.Select(r => r.Schedd)] });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. group.Select(r => r.MaxFailures)] });
        await AnswerEachAsync(command, group);
    }

    private async Task ScheddPollAsync(string sql, IReadOnlyList<ScheddPollRead> group)
    {
        Interlocked.Increment(ref _statements);
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. group.Select(r => r.Schedd)] });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. group.Select(r => r.MaxFailures)] });
        await AnswerEachAsync(command, group);
    }

    /// <summary>Hands each row (its read's number in the group, a document) to that read.</summary>
    private static async Task AnswerEachAsync(NpgsqlCommand command, IReadOnlyList<Read> group)
    {
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            // WITH ORDINALITY counts from 1.
            group[(int)reader.GetInt64(0) - 1].Json = reader.GetFieldValue<byte[]>(1);
        }
    }

    /// <summary>One caller's read: its answer, set by the group's statement (null when nothing matched).</summary>
    private abstract class Read
    {
        public byte[]? Json { get; set; }
    }

    private sealed class ByIdRead(string id) : Read
    {
        public string Id { get; } = id;
    }

    private sealed class PollRead(string collector, string schedd, int maxFailures) : Read
    {
        public string Collector { get; } = collector;

        public string Schedd { get; } = schedd;

        public int MaxFailures { get; } = maxFailures;
    }

    private sealed class ScheddPollRead(string schedd, int maxFailures) : Read
    {
        public string Schedd { get; } = schedd;

        public int MaxFailures { get; } = maxFailures;
    }
}
