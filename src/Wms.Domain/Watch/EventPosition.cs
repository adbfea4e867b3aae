using System.Globalization;

namespace Wms.Domain.Watch;

/// <summary>
/// Where a watcher is in a workflow's events: the epoch (one life of the workflow's event sequence) and the number
/// of the last event it has. On the wire it is the SSE event id, <c>{epoch}-{sequence}</c>, opaque to clients.
/// </summary>
public readonly record struct EventPosition(string Epoch, long Sequence)
{
    /// <summary>Longest id read back: an epoch and a long, with room to spare.</summary>
    private const int MaxLength = 64;

    public override string ToString() => Epoch + "-" + Sequence.ToString(CultureInfo.InvariantCulture);

    /// <summary>The position an id names; null for anything this service could not have given.</summary>
    public static EventPosition? Parse(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength)
        {
            return null;
        }
        var dash = id.LastIndexOf('-');
        if (dash <= 0 || !IsEpoch(id.AsSpan(0, dash))
            || !long.TryParse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            return null;
        }
        return new EventPosition(id[..dash], sequence);
    }

    /// <summary>An epoch: lower-case hex digits, as <see cref="NewEpoch"/> makes them.</summary>
    public static bool IsEpoch(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }
        foreach (var c in text)
        {
            if (c is not (>= '0' and <= '9' or >= 'a' and <= 'f'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A fresh epoch: random, so that a sequence restarted elsewhere is never mistaken for this one.</summary>
    public static string NewEpoch() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 8));
}
