using System.Diagnostics;
using Npgsql;

namespace Wms.Bench;

/// <summary>
/// The durability ceiling: single-row inserts, each its own transaction (autocommit), from as many clients as the
/// HTTP phases use, into a throwaway table of the same PostgreSQL server.
/// </summary>
public static class PostgresCeiling
{
    public const string RequestClass = "pg-insert";
    private const string Table = "wms_bench_insert_ceiling";

    // About the size of a small grain state row; the figure is a rate of commits, not of bytes.
    private static readonly string Payload = new('x', 512);

    public static async Task<double> RunAsync(string connectionString, int clients, double warmupSeconds, double seconds, Recorder recorder)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            ApplicationName = "wms-bench",
            MaxPoolSize = Math.Max(clients + 2, 10),
        };
        await using var source = NpgsqlDataSource.Create(builder.ConnectionString);
        await ExecuteAsync(source, $"DROP TABLE IF EXISTS {Table}; " +
            $"CREATE TABLE {Table} (id bigserial PRIMARY KEY, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
        var connections = new NpgsqlConnection[clients];
        var commands = new NpgsqlCommand[clients];
        try
        {
            for (var i = 0; i < clients; i++)
            {
                connections[i] = await source.OpenConnectionAsync();
                commands[i] = new NpgsqlCommand($"INSERT INTO {Table} (payload) VALUES ($1)", connections[i]);
                commands[i].Parameters.Add(new NpgsqlParameter { Value = Payload });
                await commands[i].PrepareAsync();
            }
            return await ClosedLoop.RunAsync(clients, warmupSeconds, seconds, recorder, async (worker, _, into) =>
            {
                var record = into.Of(RequestClass);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await commands[worker].ExecuteNonQueryAsync();
                    record.Success(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (NpgsqlException e)
                {
                    record.Error($"{e.GetType().Name}: {e.Message}");
                }
            });
        }
        finally
        {
            foreach (var command in commands)
            {
                command?.Dispose();
            }
            foreach (var connection in connections)
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
            }
            await ExecuteAsync(source, $"DROP TABLE IF EXISTS {Table}");
        }
    }

    private static async Task ExecuteAsync(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
