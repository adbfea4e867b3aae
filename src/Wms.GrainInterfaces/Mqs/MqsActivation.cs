using Wms.Domain.Model;

namespace Wms.GrainInterfaces.Mqs;

/// <summary>An activation answer: the live profiles, or the MQS's request to come back later.</summary>
public sealed record MqsActivation(bool TryAgainLater, List<MqProfile> Profiles)
{
    public static readonly MqsActivation Later = new(true, []);

    /// <summary>
    /// The same profiles whole, as the MQS described them, in the same order: what is handed on to the TMS. Empty
    /// when the client that answered keeps no descriptions (a test double).
    /// </summary>
    public IReadOnlyList<MqsProfileDescription> Descriptions { get; init; } = [];
}
