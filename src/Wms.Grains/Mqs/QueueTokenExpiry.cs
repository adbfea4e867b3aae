using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace Wms.Grains.Mqs;

/// <summary>
/// When a queue token from the MQS expires, read from the <c>exp</c> claim of the JWT it is. The signature is not
/// checked: the WMS is not the token's audience and only needs to know when to ask for a new one, and a token that
/// lies about its expiry hurts only the pilot that holds it.
/// </summary>
public static class QueueTokenExpiry
{
    /// <summary>The MQS mints its queue tokens for this long; assumed when a token does not say.</summary>
    public static readonly TimeSpan MintedLifetime = TimeSpan.FromHours(24);

    /// <summary>Past this, a payload is not a token's (the MQS's are a few hundred bytes).</summary>
    private const int MaxPayloadChars = 16 * 1024;

    /// <summary>The token's <c>exp</c>; null when it is not a JWT, has no numeric <c>exp</c>, or cannot be read.</summary>
    public static DateTimeOffset? Read(string? token)
    {
        if (token is null)
        {
            return null;
        }
        var span = token.AsSpan();
        var first = span.IndexOf('.');
        if (first < 0)
        {
            return null;
        }
        var rest = span[(first + 1)..];
        var second = rest.IndexOf('.');
        // A signed JWT has three parts; an encrypted one (five) keeps its claims out of sight.
        if (second < 0 || rest[(second + 1)..].Contains('.'))
        {
            return null;
        }
        var payload = rest[..second];
        if (payload.IsEmpty || payload.Length > MaxPayloadChars)
        {
            return null;
        }
        var bytes = new byte[Base64Url.GetMaxDecodedLength(payload.Length)];
        // The status form: the Try form throws on a character outside the alphabet.
        if (Base64Url.DecodeFromChars(payload, bytes, out _, out var written) != OperationStatus.Done)
        {
            return null;
        }
        return Exp(bytes.AsSpan(0, written));
    }

    /// <summary>When the token expires: its own word if it gives one, else the MQS's lifetime from <paramref name="minted"/>.</summary>
    public static DateTimeOffset ReadOrAssume(string? token, DateTimeOffset minted) =>
        Read(token) ?? minted + MintedLifetime;

    private static DateTimeOffset? Exp(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isExp = reader.ValueTextEquals("exp"u8);
                if (!reader.Read())
                {
                    return null;
                }
                if (isExp)
                {
                    return reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var seconds)
                        ? FromSeconds(seconds)
                        : null;
                }
                reader.Skip();
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static DateTimeOffset? FromSeconds(double seconds)
    {
        const double min = 0;
        var max = DateTimeOffset.MaxValue.ToUnixTimeSeconds() - 1;
        if (!double.IsFinite(seconds) || seconds < min || seconds > max)
        {
            return null;
        }
        return DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
    }
}
