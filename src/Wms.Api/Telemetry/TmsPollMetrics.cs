using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Wms.Api.Configuration;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Telemetry;

namespace Wms.Api.Telemetry;

/// <summary>
/// What the TMS polls tell operators: a count per schedd and kind (<see cref="WmsMetrics.TmsPolls"/>), the time of
/// the latest (<see cref="ScheddPolls"/>), and from it the gauge <see cref="WmsMetrics.TmsPollAge"/>, the seconds
/// since each schedd's TMS last polled this silo.
/// </summary>
/// <remarks>
/// Schedds are named as configured (<c>WMS_CLUSTER_LOCATIONS</c>); any other name a caller sends is
/// <see cref="OtherSchedd"/>, so that callers cannot add series at will. Every configured schedd is shown from the
/// silo's start, as polled at that start until it really polls: a TMS that never polled shows as one that stopped.
/// Each silo shows the polls it served, so the cluster's age of a schedd is the least across silos.
/// </remarks>
public sealed class TmsPollMetrics
{
    /// <summary>The schedd named for polls from a schedd no cluster location has.</summary>
    public const string OtherSchedd = "other";

    private static readonly string[] Kinds = [Phase.PendingStarter, Phase.PendingStopper];

    private readonly WmsMetrics _metrics;
    private readonly ScheddPolls _polls;
    private readonly TimeProvider _time;
    private readonly FrozenSet<string> _known;
    private readonly DateTimeOffset _start;

    public TmsPollMetrics(WmsMetrics metrics, ScheddPolls polls, IOptions<ApiOptions> api, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(api);
        _metrics = metrics;
        _polls = polls;
        _time = time;
        _known = api.Value.ClusterLocations.Values.Select(pool => pool.Schedd).ToFrozenSet(StringComparer.Ordinal);
        _start = time.GetUtcNow();
        metrics.Meter.CreateObservableGauge(WmsMetrics.TmsPollAge, ObserveAges, "s",
            "Seconds since the TMS of each schedd last polled this silo, by kind; take the least across silos");
    }

    /// <summary>A TMS at <paramref name="schedd"/> asked for work of <paramref name="kind"/> (a phase).</summary>
    public void Polled(string schedd, string kind)
    {
        var name = _known.TryGetValue(schedd, out var known) ? known : OtherSchedd;
        _polls.Record(name, kind, _time.GetUtcNow());
        _metrics.TmsPolled(name, kind);
    }

    private IEnumerable<Measurement<double>> ObserveAges()
    {
        var now = _time.GetUtcNow();
        var latest = _polls.Snapshot().ToDictionary(p => (p.Schedd, p.Kind), p => p.At);
        var schedds = latest.Keys.Any(k => k.Schedd == OtherSchedd) ? _known.Append(OtherSchedd) : _known;
        foreach (var schedd in schedds)
        {
            foreach (var kind in Kinds)
            {
                var at = latest.TryGetValue((schedd, kind), out var polled) ? polled : _start;
                yield return new Measurement<double>(Math.Max(0, (now - at).TotalSeconds),
                    new KeyValuePair<string, object?>("schedd", schedd), new KeyValuePair<string, object?>("kind", kind));
            }
        }
    }
}
