using System.Net.Sockets;
using Npgsql;
using Wms.Silo.Configuration;

namespace Wms.Silo;

/// <summary>
/// Waits at start for PostgreSQL to answer, saying where it looks and why it waits, up to
/// <see cref="StorageOptions.StartupTimeout"/>: a database that restarts or comes up beside the service is waited
/// for; one that never comes ends the start with a <see cref="StartupException"/> naming it.
/// </summary>
public static partial class DatabaseWait
{
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(5);

    public static async Task UntilReachableAsync(StorageOptions storage, ILogger logger, CancellationToken cancellationToken = default)
    {
        var connectionString = storage.ConnectionString
            ?? throw new StartupException("WMS_STORAGE=postgres needs a connection string in WMS_POSTGRES (or ConnectionStrings:Wms)");
        var where = Describe(connectionString);
        var probe = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 5 }.ConnectionString;
        var deadline = DateTimeOffset.UtcNow + storage.StartupTimeout;
        var pause = TimeSpan.FromSeconds(1);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(probe);
                await connection.OpenAsync(cancellationToken);
                if (attempt > 1)
                {
                    LogReachable(logger, where, attempt);
                }
                return;
            }
            catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
            {
                var left = deadline - DateTimeOffset.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    throw new StartupException(
                        $"{where} did not answer within {storage.StartupTimeout.TotalSeconds:0.#} s (WMS_STARTUP_TIMEOUT): {Reason(e)}", e);
                }
                var next = pause < left ? pause : left;
                LogWaiting(logger, where, Reason(e), next.TotalSeconds, left.TotalSeconds);
                await Task.Delay(next, cancellationToken);
                pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
            }
        }
    }

    /// <summary>Host, port and database, never the password.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"PostgreSQL at {builder.Host ?? "localhost"}:{builder.Port}, database '{builder.Database ?? builder.Username}'";
    }

    private static string Reason(Exception e) =>
        e.InnerException is { } inner && inner.Message != e.Message ? $"{e.Message} ({inner.Message})" : e.Message;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Where} does not answer: {Reason}; trying again in {Pause:0.#} s ({Left:0} s left of WMS_STARTUP_TIMEOUT)")]
    private static partial void LogWaiting(ILogger logger, string where, string reason, double pause, double left);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Where} answers now (attempt {Attempt}); starting")]
    private static partial void LogReachable(ILogger logger, string where, int attempt);
}
