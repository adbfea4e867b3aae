using System.Text.Json.Nodes;
using static Wms.Requests.JsonShape;

namespace Wms.Requests;

/// <summary>A request for one more taskforce of an existing task directive.</summary>
public sealed record AddWorkersRequest(string ClusterLocation, long? NWorkers)
{
    private static readonly string[] Keys = ["cluster_location", "n_workers"];

    public static AddWorkersRequest Read(JsonObject body)
    {
        OnlyKeys(body, "", Keys);
        return new AddWorkersRequest(
            String(Required(body, "cluster_location", ""), "cluster_location"),
            WorkflowRequestReader.ReadWorkers(Required(body, "n_workers", ""), "n_workers"));
    }
}
