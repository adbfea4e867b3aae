using Wms.Domain.Model;

namespace Wms.GrainInterfaces.Mqs;

/// <summary>The WMS's side of the MQS protocol. Failures surface as <see cref="MqsException"/>.</summary>
public interface IMqsClient
{
    /// <summary>
    /// True when the MQS keeps nothing of a reservation, so a second one for the same workflow is harmless: the
    /// workflow then need not record an attempt before making it. The MQS of this era refuses a second one.
    /// </summary>
    bool ReservationIsRepeatable { get; }

    /// <summary>Reserves every queue of a workflow. Called at most once per workflow unless repeatable.</summary>
    Task<List<MqProfile>> ReserveAsync(
        string workflowId, IReadOnlyList<string> queueAliases, IReadOnlyList<string> publicAliases,
        CancellationToken cancellationToken);

    /// <summary>
    /// Asks for the reserved queues to be made live; the MQS may say to try again later. <paramref name="reserved"/>
    /// is what the reservation answered, for an MQS that keeps nothing itself.
    /// </summary>
    Task<MqsActivation> ActivateAsync(
        string workflowId, int priority, IReadOnlyList<MqProfile> reserved, CancellationToken cancellationToken);

    /// <summary>
    /// The MQS's answer about a workflow's public queues, with every field it gave for each. The MQS admits only
    /// users to this read, so it is asked with <paramref name="callerToken"/>, the bearer token of the user asking,
    /// when there is one; null (authentication off) asks with the service's own credentials.
    /// </summary>
    Task<PublicMqProfiles> GetPublicProfilesAsync(string workflowId, string? callerToken, CancellationToken cancellationToken);
}
