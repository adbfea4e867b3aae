using System.Globalization;
using System.Text.RegularExpressions;

namespace Wms.Domain.Rules;

/// <summary>
/// The sizes the TMS can hand to HTCondor as <c>request_memory</c> and <c>request_disk</c>: a number, with an optional
/// fraction, then optionally a unit. The TMS reads them with binary multiples whatever the unit says (K = KB = KiB =
/// 1024), and dies on anything else; a size is checked here at creation so that a bad one is the user's 400, not a
/// TMS that fails on every start.
/// </summary>
public static partial class WorkerSize
{
    private static readonly string[] Prefixes = ["k", "m", "g", "t", "p", "e", "z", "y"];

    private static readonly string[] BinaryNames =
        ["kibibyte", "mebibyte", "gibibyte", "tebibyte", "pebibyte", "exbibyte", "zebibyte", "yobibyte"];

    private static readonly string[] DecimalNames =
        ["kilobyte", "megabyte", "gigabyte", "terabyte", "petabyte", "exabyte", "zettabyte", "yottabyte"];

    /// <summary>What a user reads when a size is refused.</summary>
    public const string Expected = "must be a size: a number with an optional unit, as in 512M, 8 GB or 1.5GiB";

    /// <summary>The size in bytes, or null when the TMS could not read <paramref name="text"/> or it is not positive.</summary>
    public static long? Bytes(string text)
    {
        var match = Shape().Match(text);
        if (!match.Success
            || !decimal.TryParse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }
        var unit = match.Groups["unit"].Value.ToLowerInvariant();
        if (unit.EndsWith('s') && unit.Length > 1)
        {
            unit = unit[..^1];
        }
        int? power = unit switch
        {
            "" or "b" or "byte" => 0,
            _ => Power(unit),
        };
        if (power is not { } p)
        {
            return null;
        }
        try
        {
            var bytes = decimal.Truncate(number * Pow1024(p));
            return bytes is >= 1 and <= long.MaxValue ? (long)bytes : null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static int? Power(string unit)
    {
        for (var i = 0; i < Prefixes.Length; i++)
        {
            var prefix = Prefixes[i];
            if (unit == prefix || unit == prefix + "b" || unit == prefix + "ib" || unit == BinaryNames[i] || unit == DecimalNames[i])
            {
                return i + 1;
            }
        }
        return null;
    }

    private static decimal Pow1024(int power)
    {
        var result = 1m;
        for (var i = 0; i < power; i++)
        {
            result *= 1024m;
        }
        return result;
    }

    [GeneratedRegex(@"^\s*(?<number>[0-9]+(\.[0-9]+)?)\s*(?<unit>[A-Za-z]*)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
