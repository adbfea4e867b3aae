using System.Collections.Concurrent;
using System.Data;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Wms.Domain.Index;
using Wms.Domain.Rules;

namespace Wms.Storage.Postgres.History;

/// <summary>
/// The status history in its own table (migration 0107). Appends are grouped as the index's writes are
/// (<see cref="Coalescer{T}"/>): whatever arrives while a group is written goes in the next one, as one INSERT of
/// arrays, so a burst of TMS reports costs a few statements rather than one per taskforce, and no caller waits.
/// </summary>
/// <remarks>
/// Retention is applied when writing, in the same round trip as a group's INSERT, at most once per trim interval,
/// to the taskforces written to since the last trim that now hold more than the cap: a table trimmed on write needs
/// no timer or leader, a taskforce that is not written to does not grow, and one that is exceeds the cap by no more
/// than what it is sent in one interval. A read applies the rule as of now, so what it answers does not depend on
/// when the table was last trimmed.
/// </remarks>
public sealed partial class PostgresStatusHistory : IStatusHistory, IAsyncDisposable
{
    internal const int DefaultMaxGroupRows = 1000;
    internal const int DefaultMaxGroupsInFlight = 2;

    /// <summary>
    /// How often the taskforces written to are trimmed. The TMS reports on a taskforce every few minutes, so a
    /// taskforce passes the cap by an entry or two at most before its trim; trimming with every group instead cost
    /// the database a scan of each written taskforce's rows per report, a third of the status rate (performance.md).
    /// </summary>
    internal static readonly TimeSpan DefaultTrimInterval = TimeSpan.FromSeconds(30);

    private const string InsertSql = """
        INSERT INTO public.wms_status_history (taskforce_uuid, timestamp, compound_statuses, top_task_errors)
        SELECT * FROM unnest($1::text[], $2::float8[], $3::text[], $4::text[])
        """;

    // StatusHistoryRetention.Apply in SQL, for the taskforces past the cap: keep the first entry, the recent ones
    // (by count and by age) and the first of each interval; then, past the cap, the newest after the first.
    private const string TrimSql = """
        WITH over_cap AS (
            SELECT taskforce_uuid FROM public.wms_status_history
            WHERE taskforce_uuid = ANY($1::text[])
            GROUP BY taskforce_uuid HAVING count(*) > $2
        ), ranked AS (
            SELECT h.id, h.taskforce_uuid, h.timestamp,
                   row_number() OVER (PARTITION BY h.taskforce_uuid ORDER BY h.timestamp, h.id) AS pos,
                   count(*) OVER (PARTITION BY h.taskforce_uuid) AS n,
                   row_number() OVER (PARTITION BY h.taskforce_uuid, floor(h.timestamp / $5::float8)
                                      ORDER BY h.timestamp, h.id) AS in_interval
            FROM public.wms_status_history h JOIN over_cap USING (taskforce_uuid)
        ), thinned AS (
            SELECT id, taskforce_uuid, timestamp,
                   row_number() OVER (PARTITION BY taskforce_uuid ORDER BY timestamp, id) AS kept_pos,
                   row_number() OVER (PARTITION BY taskforce_uuid ORDER BY timestamp DESC, id DESC) AS from_end
            FROM ranked
            WHERE pos = 1 OR pos > n - $3 OR timestamp >= $4::float8 OR in_interval = 1
        )
        DELETE FROM public.wms_status_history d
        USING ranked r
        WHERE d.taskforce_uuid = r.taskforce_uuid AND d.timestamp = r.timestamp AND d.id = r.id
          AND NOT EXISTS (SELECT 1 FROM thinned t WHERE t.id = r.id AND (t.kept_pos = 1 OR t.from_end < $2))
        """;

    private const string ReadSql = """
        SELECT timestamp, compound_statuses, top_task_errors FROM public.wms_status_history
        WHERE taskforce_uuid = $1 ORDER BY timestamp, id
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly StatusHistoryRetention _retention;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Coalescer<Appended> _writes;
    private readonly ConcurrentDictionary<Task, byte> _pending = new();
    private readonly TimeSpan _trimInterval;
    private readonly Lock _gate = new();
    private HashSet<string> _untrimmed = new(StringComparer.Ordinal);
    private long _lastTrim;

    public PostgresStatusHistory(
        NpgsqlDataSource dataSource, StatusHistoryRetention retention, TimeProvider time,
        ILogger<PostgresStatusHistory> log)
        : this(dataSource, retention, time, log, DefaultMaxGroupRows, DefaultMaxGroupsInFlight, DefaultTrimInterval)
    {
    }

    /// <summary>
    /// As the public constructor, with the group bounds and the trim interval given; a zero interval trims with every
    /// group, as the memory history trims with every append.
    /// </summary>
    internal PostgresStatusHistory(
        NpgsqlDataSource dataSource, StatusHistoryRetention retention, TimeProvider time, ILogger log,
        int maxGroupRows, int maxGroupsInFlight, TimeSpan trimInterval)
    {
        _trimInterval = trimInterval;
        _lastTrim = time?.GetTimestamp() ?? 0;
        _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
        _retention = retention ?? throw new ArgumentNullException(nameof(retention));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _log = log ?? throw new ArgumentNullException(nameof(log));
        _writes = new Coalescer<Appended>(CommitAsync, _ => 1, maxGroupRows, maxGroupsInFlight);
    }

    public void Append(string taskforceUuid, StatusHistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(taskforceUuid);
        ArgumentNullException.ThrowIfNull(entry);
        var written = _writes.SubmitAsync(new Appended(taskforceUuid, entry), CancellationToken.None);
        if (written.IsCompleted)
        {
            Observe(written);
            return;
        }
        _pending.TryAdd(written, 0);
        written.ContinueWith(
            static (task, state) => ((PostgresStatusHistory)state!).Done(task), this,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public async Task<IReadOnlyList<StatusHistoryEntry>> ReadAsync(
        string taskforceUuid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskforceUuid);
        var entries = new List<StatusHistoryEntry>();
        await using (var command = _dataSource.CreateCommand(ReadSql))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = taskforceUuid, NpgsqlDbType = NpgsqlDbType.Text });
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                entries.Add(new StatusHistoryEntry(
                    reader.GetDouble(0),
                    StatusHistoryJson.ReadCompoundStatuses(reader.GetString(1)),
                    StatusHistoryJson.ReadCounts(reader.GetString(2))));
            }
        }
        return _retention.Apply(entries, e => e.Timestamp, _time.EpochSeconds());
    }

    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var pending = _pending.Keys.ToArray();
        try
        {
            await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A failed write was logged when it failed; flushing only waits for it.
        }
    }

    /// <summary>Takes no more appends and waits until the accepted ones are written.</summary>
    public ValueTask DisposeAsync() => _writes.DisposeAsync();

    private void Done(Task written)
    {
        _pending.TryRemove(written, out _);
        Observe(written);
    }

    private void Observe(Task written)
    {
        if (written.Exception is { } error)
        {
            LogWriteFailed(_log, error.GetBaseException());
        }
    }

    private async Task CommitAsync(IReadOnlyList<Appended> group)
    {
        var uuids = new string[group.Count];
        var timestamps = new double[group.Count];
        var compound = new string[group.Count];
        var errors = new string[group.Count];
        for (var i = 0; i < group.Count; i++)
        {
            var (uuid, entry) = group[i];
            uuids[i] = uuid;
            timestamps[i] = entry.Timestamp;
            compound[i] = StatusHistoryJson.Write(entry.CompoundStatuses);
            errors[i] = StatusHistoryJson.Write(entry.TopTaskErrors);
        }
        var touched = TakeTrimDue(uuids);
        await using var connection = await _dataSource.OpenConnectionAsync();
        // One round trip, one implicit transaction: the group's rows, then the trim of those now past the cap.
        await using var batch = new NpgsqlBatch(connection) { EnableErrorBarriers = false };
        var insert = new NpgsqlBatchCommand(InsertSql);
        insert.Parameters.Add(new NpgsqlParameter { Value = uuids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter { Value = timestamps, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
        insert.Parameters.Add(new NpgsqlParameter { Value = compound, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter { Value = errors, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        batch.BatchCommands.Add(insert);
        if (touched is not null)
        {
            batch.BatchCommands.Add(Trim(touched));
        }
        try
        {
            await batch.ExecuteNonQueryAsync();
        }
        catch (PostgresException error)
            when (connection.FullState == ConnectionState.Open && RefusedGroupException.IsRefusal(error))
        {
            throw new RefusedGroupException(error);
        }
        catch when (touched is not null)
        {
            // Not trimmed: the next trim takes them again.
            lock (_gate)
            {
                _untrimmed.UnionWith(touched);
            }
            throw;
        }
    }

    /// <summary>
    /// The taskforces to trim with this group: every one written to since the last trim, once the trim interval
    /// has passed; otherwise null, and this group's taskforces wait for the next trim.
    /// </summary>
    private string[]? TakeTrimDue(string[] uuids)
    {
        lock (_gate)
        {
            _untrimmed.UnionWith(uuids);
            if (_time.GetElapsedTime(_lastTrim) < _trimInterval)
            {
                return null;
            }
            _lastTrim = _time.GetTimestamp();
            var due = _untrimmed.ToArray();
            _untrimmed = new HashSet<string>(StringComparer.Ordinal);
            return due;
        }
    }

    private NpgsqlBatchCommand Trim(string[] touched)
    {
        var trim = new NpgsqlBatchCommand(TrimSql);
        trim.Parameters.Add(new NpgsqlParameter { Value = touched, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        trim.Parameters.Add(new NpgsqlParameter { Value = (long)_retention.MaxEntries, NpgsqlDbType = NpgsqlDbType.Bigint });
        trim.Parameters.Add(new NpgsqlParameter { Value = (long)_retention.RecentEntries, NpgsqlDbType = NpgsqlDbType.Bigint });
        trim.Parameters.Add(new NpgsqlParameter
        {
            Value = _time.EpochSeconds() - _retention.RecentAgeSeconds,
            NpgsqlDbType = NpgsqlDbType.Double,
        });
        trim.Parameters.Add(new NpgsqlParameter { Value = _retention.IntervalSeconds, NpgsqlDbType = NpgsqlDbType.Double });
        return trim;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A status history entry could not be written; it is lost")]
    private static partial void LogWriteFailed(ILogger logger, Exception error);

    private sealed record Appended(string TaskforceUuid, StatusHistoryEntry Entry);
}
