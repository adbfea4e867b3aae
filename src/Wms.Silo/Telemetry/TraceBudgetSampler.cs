using OpenTelemetry.Trace;

namespace Wms.Silo.Telemetry;

/// <summary>
/// Samples new traces up to a budget per second, and drops the rest until the budget refills. At the service's
/// everyday rates (a few submissions a minute, the TMS polling every few seconds) every trace is kept; under a
/// flood of requests the traces kept, and what they cost, stay bounded, where sampling everything was measured to
/// cost a fifth of the service's throughput (Docs/performance.md).
/// </summary>
/// <remarks>
/// A bucket of <see cref="PerSecond"/> traces that refills evenly: a burst of that many is kept at once, then one
/// every 1/<see cref="PerSecond"/> s. It is kept as the time at which the bucket would be full again if nothing more
/// were taken (the generic cell rate algorithm), so a decision is one compare-and-swap, without a lock. Used as the
/// root of a parent-based sampler, so a trace is kept or dropped whole.
/// </remarks>
public sealed class TraceBudgetSampler : Sampler
{
    private static readonly SamplingResult Keep = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult Skip = new(SamplingDecision.Drop);

    private readonly TimeProvider _time;
    private readonly long _interval;
    private readonly long _burst;

    /// <summary>When the bucket would be full again (a <see cref="TimeProvider.GetTimestamp"/>).</summary>
    private long _full = long.MinValue;

    public TraceBudgetSampler(double perSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        ArgumentNullException.ThrowIfNull(time);
        PerSecond = perSecond;
        _time = time;
        _interval = Math.Max(1, (long)(time.TimestampFrequency / perSecond));
        _burst = (long)Math.Ceiling(perSecond) * _interval;
        Description = $"TraceBudgetSampler{{{perSecond}/s}}";
    }

    public double PerSecond { get; }

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var now = _time.GetTimestamp();
        while (true)
        {
            var full = Volatile.Read(ref _full);
            // Taking one trace puts the time of a full bucket one interval later; more than a burst ahead is empty.
            var taken = Math.Max(full, now) + _interval;
            if (taken - now > _burst)
            {
                return Skip;
            }
            if (Interlocked.CompareExchange(ref _full, taken, full) == full)
            {
                return Keep;
            }
        }
    }
}
