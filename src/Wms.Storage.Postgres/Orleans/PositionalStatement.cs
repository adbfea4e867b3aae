using System.Text.RegularExpressions;

namespace Wms.Storage.Postgres;

/// <summary>
/// A provider statement with its named parameters (<c>@GrainIdHash</c>) turned into positional ones (<c>$1</c>), in
/// the order the caller binds them. Npgsql sends a batch command with positional parameters as it is; with named
/// ones it parses the whole text again on every execution to rewrite them, though the text never changes, and
/// these statements run for every grain state read and write.
/// </summary>
internal static partial class PositionalStatement
{
    /// <summary>
    /// The positional text, or null when it cannot be had: the text is more than one statement (a semicolon anywhere
    /// but at the end, even in a literal or a comment), or it names a parameter not in <paramref name="names"/>.
    /// </summary>
    public static string? Of(string query, IReadOnlyList<string> names)
    {
        var text = query.AsSpan().TrimEnd().TrimEnd(';');
        if (text.Contains(';'))
        {
            return null;
        }
        var unknown = false;
        var positional = NamedParameter().Replace(text.ToString(), match =>
        {
            var index = IndexOf(names, match.Groups[1].Value);
            unknown |= index < 0;
            return index < 0 ? match.Value : $"${index + 1}";
        });
        return unknown ? null : positional;
    }

    // Npgsql matches parameter names without regard to case.
    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }

    // '@' then a name; not after a letter, digit or another '@', so operators such as @> and @@ stay as they are.
    [GeneratedRegex(@"(?<![\w@])@([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex NamedParameter();
}
