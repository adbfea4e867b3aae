using System.Text.Json;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Mqs;

namespace Wms.Grains.Mqs;

/// <summary>
/// A queue profile described as the MQS v1 describes its own, for profiles no MQS described: those the embedded MQS
/// grants and those kept from an MQS of the v0 era. Today's TMS reads the profile's <c>timestamp</c> as a number
/// and stops on a null, so such a profile is stamped with when its token was minted.
/// </summary>
public static class StampedProfile
{
    public static MqsProfileDescription Describe(MqProfile profile, string workflowId, DateTimeOffset minted) =>
        new(profile, workflowId,
        [
            KeyValuePair.Create(MqsProfileDescription.TimestampField,
                JsonSerializer.SerializeToElement(minted.ToUnixTimeMilliseconds() / 1000.0)),
        ]);

    /// <summary>
    /// Stamped with its token's minting, read from the token's expiry less the lifetime the MQS gives a token;
    /// <paramref name="otherwise"/> when the token does not say.
    /// </summary>
    public static MqsProfileDescription Describe(MqProfile profile, string workflowId, Func<DateTimeOffset> otherwise) =>
        Describe(profile, workflowId,
            QueueTokenExpiry.Read(profile.AuthToken) is { } expiry ? expiry - QueueTokenExpiry.MintedLifetime : otherwise());
}
