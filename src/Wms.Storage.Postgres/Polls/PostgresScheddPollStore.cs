using Npgsql;
using Wms.Domain.Index;

namespace Wms.Storage.Postgres.Polls;

/// <summary>
/// The latest poll of each schedd and kind in its own table (migration 0108). A write is one upsert of arrays that
/// keeps, per pair, the later of the stored time and the new one; a read takes the whole table, which holds two rows
/// per schedd.
/// </summary>
public sealed class PostgresScheddPollStore(NpgsqlDataSource dataSource) : IScheddPollStore
{
    internal const string UpsertSql = """
        INSERT INTO public.wms_schedd_poll AS kept (schedd, kind, polled_ts)
        SELECT * FROM unnest($1::text[], $2::text[], $3::float8[])
        ON CONFLICT (schedd, kind) DO UPDATE SET polled_ts = excluded.polled_ts
        WHERE kept.polled_ts < excluded.polled_ts
        """;

    internal const string ReadSql = "SELECT schedd, kind, polled_ts FROM public.wms_schedd_poll";

    private readonly NpgsqlDataSource _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));

    public async Task RecordAsync(IReadOnlyCollection<ScheddPoll> polls, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(polls);
        if (polls.Count == 0)
        {
            return;
        }
        await using var command = _dataSource.CreateCommand(UpsertSql);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. polls.Select(p => p.Schedd)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. polls.Select(p => p.Kind)] });
        command.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = [.. polls.Select(p => EpochSeconds(p.At))] });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ScheddPoll>> ReadAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(ReadSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var polls = new List<ScheddPoll>();
        while (await reader.ReadAsync(cancellationToken))
        {
            polls.Add(new ScheddPoll(reader.GetString(0), reader.GetString(1), FromEpochSeconds(reader.GetDouble(2))));
        }
        return polls;
    }

    private static double EpochSeconds(DateTimeOffset at) =>
        (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;

    // Back to whole ticks: a time written and read back may differ from the noted one by a tenth of a microsecond.
    private static DateTimeOffset FromEpochSeconds(double seconds) =>
        DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
}
