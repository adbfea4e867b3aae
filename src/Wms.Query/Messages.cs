using System.Globalization;
using System.Text;

namespace Wms.Query;

/// <summary>Formatting of user-supplied text inside <see cref="FilterException"/> messages.</summary>
internal static class Messages
{
    // Keep echoed user input short so a hostile name cannot bloat the error body.
    private const int MaxEchoLength = 80;

    /// <summary>The text made printable (control characters escaped) and cut to a bounded length.</summary>
    public static string Echo(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, MaxEchoLength) + 8);
        foreach (var c in text)
        {
            if (builder.Length >= MaxEchoLength)
            {
                builder.Append('…');
                break;
            }

            if (char.IsControl(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>The echoed text in single quotes, for field names that may contain spaces.</summary>
    public static string Quote(string text) => "'" + Echo(text) + "'";
}
