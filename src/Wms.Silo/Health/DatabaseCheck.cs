using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Wms.Silo.Health;

/// <summary>
/// Readiness in PostgreSQL mode: the database answers a <c>SELECT 1</c> through the service's own connection pool,
/// within <see cref="Timeout"/>. Without it no request that writes or reads can be answered.
/// </summary>
public sealed class DatabaseCheck(NpgsqlDataSource database) : IHealthCheck
{
    /// <summary>Short: a probe that waits as long as a request would tells the orchestrator nothing sooner.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        try
        {
            await using var command = database.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(limit.Token);
            return HealthCheckResult.Healthy("PostgreSQL answers");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, string.Create(CultureInfo.InvariantCulture,
                $"PostgreSQL did not answer within {Timeout.TotalSeconds} s"));
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"PostgreSQL does not answer: {e.Message}");
        }
    }
}
