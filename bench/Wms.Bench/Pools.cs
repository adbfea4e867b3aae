using System.Text.Json.Nodes;

namespace Wms.Bench;

/// <summary>One HTCondor pool as the service knows it: a cluster location and its collector and schedd.</summary>
public sealed record Pool(string Location, string Collector, string Schedd)
{
    /// <summary>The query string of the /v0 TMS's polls for this pool.</summary>
    public string PollQuery => $"collector={Uri.EscapeDataString(Collector)}&schedd={Uri.EscapeDataString(Schedd)}";

    /// <summary>The query string of a TMS's polls in <paramref name="generation"/>: today's TMS names no collector.</summary>
    public string PollQueryIn(Generation generation) =>
        generation == Generation.V0 ? PollQuery : $"schedd={Uri.EscapeDataString(Schedd)}";

    /// <summary>The path of a TMS's poll for this pool; <paramref name="action"/> is pending-starter or pending-stopper.</summary>
    public string PollPath(Generation generation, string action) =>
        $"{generation.Prefix()}/tms/{action}/taskforces?{PollQueryIn(generation)}";
}

/// <summary>
/// The pools the bench uses: one per simulated schedd (each served by a simulated TMS), one for the probe's stored
/// taskforces, and two that the isolated submission phase fills and nobody serves.
/// </summary>
public sealed class Pools
{
    private const string Collector = "bench-collector";

    public Pools(int schedds)
    {
        Fleet = Enumerable.Range(1, schedds).Select(i => new Pool($"bench-{i}", Collector, $"bench-schedd-{i}")).ToList();
        Probe = new Pool("bench-probe", Collector, "bench-probe-schedd");
        SoloA = new Pool("bench-solo-a", Collector, "bench-solo-schedd-a");
        SoloB = new Pool("bench-solo-b", Collector, "bench-solo-schedd-b");
    }

    public IReadOnlyList<Pool> Fleet { get; }
    public Pool Probe { get; }
    public Pool SoloA { get; }
    public Pool SoloB { get; }

    public IEnumerable<Pool> All => Fleet.Append(Probe).Append(SoloA).Append(SoloB);

    /// <summary>The value of WMS_CLUSTER_LOCATIONS that the service needs for this bench.</summary>
    public string ClusterLocationsJson()
    {
        var json = new JsonObject();
        foreach (var pool in All)
        {
            json[pool.Location] = new JsonObject { ["collector"] = pool.Collector, ["schedd"] = pool.Schedd };
        }
        return json.ToJsonString();
    }
}
