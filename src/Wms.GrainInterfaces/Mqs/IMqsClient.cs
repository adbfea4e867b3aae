using System.Text.Json.Nodes;
using Wms.GrainInterfaces.Model;

namespace Wms.GrainInterfaces.Mqs;

/// <summary>The WMS's side of the MQS protocol. Failures surface as <see cref="MqsException"/>.</summary>
public interface IMqsClient
{
    /// <summary>Reserves every queue of a workflow. Called at most once per workflow.</summary>
    Task<List<MqProfile>> ReserveAsync(
        string workflowId, IReadOnlyList<string> queueAliases, IReadOnlyList<string> publicAliases,
        CancellationToken cancellationToken);

    /// <summary>Asks for the reserved queues to be made live; the MQS may say to try again later.</summary>
    Task<MqsActivation> ActivateAsync(string workflowId, int priority, CancellationToken cancellationToken);

    /// <summary>The MQS's answer about a workflow's public queues, as the MQS gives it.</summary>
    Task<JsonObject> GetPublicProfilesAsync(string workflowId, CancellationToken cancellationToken);
}
