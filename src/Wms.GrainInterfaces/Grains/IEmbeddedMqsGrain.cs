using Wms.GrainInterfaces.Model;

namespace Wms.GrainInterfaces.Grains;

/// <summary>
/// The embedded stand-in for the MQS, one per workflow id: it grants queues at once. Used when no MQS is configured.
/// </summary>
public interface IEmbeddedMqsGrain : IGrainWithStringKey
{
    /// <summary>Null when this workflow already holds a reservation (the real MQS refuses a second one).</summary>
    Task<List<MqProfile>?> ReserveAsync(List<string> queueAliases, List<string> publicAliases);

    /// <summary>Null when nothing was reserved for this workflow.</summary>
    Task<List<MqProfile>?> ActivateAsync();

    Task<List<MqProfile>> GetPublicProfilesAsync();
}
