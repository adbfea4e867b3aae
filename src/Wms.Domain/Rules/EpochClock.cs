namespace Wms.Domain.Rules;

/// <summary>Float epoch seconds, the service's one notion of a timestamp.</summary>
public static class EpochClock
{
    public static double EpochSeconds(this TimeProvider time) =>
        (time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;
}
