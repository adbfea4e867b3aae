namespace Wms.GrainInterfaces.Mqs;

/// <summary>The MQS's answer about a workflow's public queues: every profile of it that is public.</summary>
public sealed record PublicMqProfiles(IReadOnlyList<MqsProfileDescription> Profiles)
{
    /// <summary>The answer about a workflow the MQS does not know.</summary>
    public static PublicMqProfiles None { get; } = new([]);
}
