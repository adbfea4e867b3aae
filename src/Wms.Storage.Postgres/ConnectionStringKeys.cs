using System.Data.Common;

namespace Wms.Storage.Postgres;

/// <summary>Which keywords a connection string sets itself, so that our defaults never override an operator's.</summary>
public static class ConnectionStringKeys
{
    /// <summary>
    /// Whether <paramref name="connectionString"/> sets any of <paramref name="keywords"/> (a keyword and its
    /// synonyms), in any case and spacing.
    /// </summary>
    public static bool Sets(string connectionString, params string[] keywords)
    {
        var wanted = keywords.Select(Normal).ToHashSet();
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return given.Keys.Cast<string>().Any(k => wanted.Contains(Normal(k)));
    }

    private static string Normal(string keyword) => keyword.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
}
