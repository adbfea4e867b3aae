using Wms.Domain.Model;

namespace Wms.GrainInterfaces.Mqs;

/// <summary>An activation answer: the live profiles, or the MQS's request to come back later.</summary>
public sealed record MqsActivation(bool TryAgainLater, List<MqProfile> Profiles)
{
    public static readonly MqsActivation Later = new(true, []);
}
