using System.Data.Common;

namespace Wms.Storage.Postgres;

/// <summary>Which keywords a connection string sets itself, so that our defaults never override an operator's.</summary>
public static class ConnectionStringKeys
{
    /// <summary>Whether <paramref name="connectionString"/> sets <paramref name="keyword"/>, in any case and spacing.</summary>
    public static bool Sets(string connectionString, string keyword)
    {
        var wanted = Normal(keyword);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return given.Keys.Cast<string>().Any(k => Normal(k) == wanted);
    }

    private static string Normal(string keyword) => keyword.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
}
