using System.Security.Cryptography;
using Wms.Domain.Model;

namespace Wms.Grains.Mqs;

/// <summary>
/// What the embedded MQS grants: queue ids shaped like the real MQS's, then tokens and the configured broker. It
/// keeps nothing; the workflow stores what it was granted.
/// </summary>
public sealed class EmbeddedMqsGrants(MqsOptions options)
{
    public static List<MqProfile> Reserve(IEnumerable<string> queueAliases, IReadOnlyCollection<string> publicAliases)
    {
        var isPublic = publicAliases.ToHashSet();
        return queueAliases.Concat(publicAliases).Distinct()
            .Select(alias => new MqProfile { MqId = "a" + Hex(10), Alias = alias, IsPublic = isPublic.Contains(alias) })
            .ToList();
    }

    /// <summary>The reserved profiles made live; a profile already live keeps its token.</summary>
    public List<MqProfile> Activate(IEnumerable<MqProfile> reserved) =>
        reserved.Select(p => p.IsActivated ? p : p with
        {
            IsActivated = true,
            AuthToken = Hex(24),
            BrokerType = options.EmbeddedBrokerType,
            BrokerAddress = options.EmbeddedBrokerAddress,
        }).ToList();

    private static string Hex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
