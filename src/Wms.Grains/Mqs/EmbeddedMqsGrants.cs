using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Wms.Domain.Model;

namespace Wms.Grains.Mqs;

/// <summary>
/// What the embedded MQS grants: queue ids shaped like the real MQS's, then tokens and the configured broker. It
/// keeps nothing; the workflow stores what it was granted. It behaves as the configured generation of the MQS: on
/// v1 each activation mints new tokens for every queue, JWTs that expire a day later (their <c>exp</c> reads as the
/// real MQS's do, <see cref="QueueTokenExpiry"/>); on v0 a queue already live keeps its token.
/// </summary>
public sealed class EmbeddedMqsGrants(MqsOptions options, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public static List<MqProfile> Reserve(IEnumerable<string> queueAliases, IReadOnlyCollection<string> publicAliases)
    {
        var isPublic = publicAliases.ToHashSet();
        return queueAliases.Concat(publicAliases).Distinct()
            .Select(alias => new MqProfile { MqId = "a" + Hex(10), Alias = alias, IsPublic = isPublic.Contains(alias) })
            .ToList();
    }

    /// <summary>The reserved profiles made live, with tokens minted at <paramref name="minted"/>.</summary>
    public List<MqProfile> Activate(IEnumerable<MqProfile> reserved, out DateTimeOffset minted)
    {
        var now = _time.GetUtcNow();
        minted = now;
        return reserved.Select(p => p.IsActivated && options.IsV0 ? p : p with
        {
            IsActivated = true,
            AuthToken = options.IsV0 ? Hex(24) : Jwt(p.MqId, now),
            BrokerType = options.EmbeddedBrokerType,
            BrokerAddress = options.EmbeddedBrokerAddress,
        }).ToList();
    }

    /// <summary>The reserved profiles made live.</summary>
    public List<MqProfile> Activate(IEnumerable<MqProfile> reserved) => Activate(reserved, out _);

    /// <summary>
    /// An unsigned JWT (<c>alg</c> none): nothing checks the embedded MQS's tokens, but those who read a token's
    /// expiry read it as they read the real MQS's.
    /// </summary>
    private static string Jwt(string mqid, DateTimeOffset now)
    {
        var issued = now.ToUnixTimeSeconds();
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["alg"] = "none", ["typ"] = "JWT" });
        var claims = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["sub"] = mqid,
            ["iat"] = issued,
            ["exp"] = issued + (long)QueueTokenExpiry.MintedLifetime.TotalSeconds,
            ["jti"] = Hex(12),
        });
        return Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(claims) + ".";
    }

    private static string Hex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
