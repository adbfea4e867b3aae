using System.Data.Common;
using Wms.GrainInterfaces.Mqs;

namespace Wms.Api.Errors;

/// <summary>
/// A failure of something the service depends on that is expected to pass: the database restarting or out of
/// connections, a silo being declared dead, the MQS down. Clients are told to try again (503 with Retry-After),
/// never that the service is broken (500).
/// </summary>
public sealed record TransientFailure(string Error, int RetryAfterSeconds)
{
    /// <summary>What the failure means for a client, or null when it is not a passing one.</summary>
    public static TransientFailure? Of(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (Classify(e) is { } failure)
            {
                return failure;
            }
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Select(Of).FirstOrDefault(f => f is not null) is { } inner)
            {
                return inner;
            }
        }
        return null;
    }

    private static TransientFailure? Classify(Exception e) => e switch
    {
        MqsException mqs => new($"message queue service unavailable: {mqs.Message}", 5),
        DbException { IsTransient: true } => new("the database is unavailable; try again", 2),
        // Any other database error with no SQL state of its own is a connection that failed or broke.
        DbException { SqlState: null } => new("the database is unavailable; try again", 2),
        DbException { SqlState: ['0', '8', ..] or ['5', '3', ..] or ['5', '7', 'P', ..] } =>
            new("the database is unavailable; try again", 2),
        OrleansMessageRejectionException or SiloUnavailableException or GatewayTooBusyException =>
            new("the service is changing its members; try again", 1),
        TimeoutException => new("the service is busy; try again", 1),
        Orleans.Storage.InconsistentStateException => new("a concurrent update got in first; try again", 1),
        _ => null,
    };
}
