using Wms.Domain.Model;

namespace Wms.GrainInterfaces.Mqs;

/// <summary>The WMS's side of the MQS protocol. Failures surface as <see cref="MqsException"/>.</summary>
public interface IMqsClient
{
    /// <summary>
    /// True when a second reservation for the same workflow is harmless (MQS v1 answers it with the group it already
    /// made; the embedded MQS keeps nothing of one): the workflow then need not record an attempt before making it,
    /// and a reservation whose answer was lost may be asked again. The MQS of the v0 era refuses a second one.
    /// </summary>
    bool ReservationIsRepeatable { get; }

    /// <summary>Reserves every queue of a workflow. Called at most once per workflow unless repeatable.</summary>
    Task<List<MqProfile>> ReserveAsync(
        string workflowId, IReadOnlyList<string> queueAliases, IReadOnlyList<string> publicAliases,
        CancellationToken cancellationToken);

    /// <summary>
    /// Asks for the reserved queues to be made live; the MQS may say to try again later. <paramref name="reserved"/>
    /// is what the reservation answered, for an MQS that keeps nothing itself. On MQS v1 every call mints new tokens
    /// for every queue of the workflow, so a second call is how tokens are renewed.
    /// </summary>
    Task<MqsActivation> ActivateAsync(
        string workflowId, int priority, IReadOnlyList<MqProfile> reserved, CancellationToken cancellationToken);

    /// <summary>
    /// One queue's profile whole, as the MQS keeps it (its token as it was minted, not a new one); null when the MQS
    /// knows no such queue (MQS v1 answers 404 <c>MQProfile not found</c>). <paramref name="workflowId"/> is the
    /// queue's workflow, for an MQS that keeps nothing itself. The MQS of the v0 era has no such read: asking it
    /// throws <see cref="MqsException"/>.
    /// </summary>
    Task<MqsProfileDescription?> GetProfileAsync(string workflowId, string mqid, CancellationToken cancellationToken);

    /// <summary>
    /// The MQS's answer about a workflow's public queues, with every field it gave for each. The MQS admits only
    /// users to this read, so it is asked with <paramref name="callerToken"/>, the bearer token of the user asking,
    /// when there is one; null (authentication off) asks with the service's own credentials.
    /// </summary>
    Task<PublicMqProfiles> GetPublicProfilesAsync(string workflowId, string? callerToken, CancellationToken cancellationToken);
}
