namespace Wms.Silo;

/// <summary>
/// Says in one line when this silo has joined the cluster and which silos are active, and one line per change
/// after that (a silo joining, leaving or declared dead): what Orleans says across some thirty lines of its own,
/// which the service's log levels leave out.
/// </summary>
internal sealed partial class ClusterMembershipLog(
    IClusterMembershipService membership, ILocalSiloDetails local, ILogger<ClusterMembershipLog> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Dictionary<SiloAddress, SiloStatus>? known = null;
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                var now = snapshot.Members.ToDictionary(m => m.Key, m => m.Value.Status);
                if (!log.IsEnabled(LogLevel.Information))
                {
                    known = now;
                    continue;
                }
                if (known is null)
                {
                    var (self, active, silos) = (local.SiloAddress.ToString(), Active(now), string.Join(", ", ActiveSilos(now)));
                    LogJoined(log, self, local.ClusterId, active, silos);
                }
                else
                {
                    foreach (var (silo, status) in now)
                    {
                        if (!known.TryGetValue(silo, out var before) || before != status)
                        {
                            var (name, state, active) = (silo.ToString(), status.ToString(), Active(now));
                            LogChanged(log, name, state, active);
                        }
                    }
                }
                known = now;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo is stopping; its own departure is the shutdown's to report.
        }
    }

    private static int Active(Dictionary<SiloAddress, SiloStatus> members) =>
        members.Count(m => m.Value == SiloStatus.Active);

    private static IEnumerable<string> ActiveSilos(Dictionary<SiloAddress, SiloStatus> members) =>
        members.Where(m => m.Value == SiloStatus.Active).Select(m => m.Key.ToString()).Order(StringComparer.Ordinal);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Cluster membership: silo {Silo} joined cluster '{Cluster}'; {Active} active: {Silos}")]
    private static partial void LogJoined(ILogger logger, string silo, string cluster, int active, string silos);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Cluster membership: silo {Silo} is {Status}; {Active} active")]
    private static partial void LogChanged(ILogger logger, string silo, string status, int active);
}
