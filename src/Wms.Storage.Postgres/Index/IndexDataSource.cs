using System.Data.Common;
using Npgsql;

namespace Wms.Storage.Postgres.Index;

/// <summary>The data source the query index should run on: its own pool, set up for its few fixed statements.</summary>
public static class IndexDataSource
{
    /// <summary>Room for the index's fixed statements (about a dozen) and its most frequent finds.</summary>
    public const int MaxAutoPrepare = 32;

    public static NpgsqlDataSource Create(string connectionString) =>
        NpgsqlDataSource.Create(ConnectionString(connectionString));

    /// <summary>
    /// The connection string with the index's settings added, unless it sets them itself:
    /// <list type="bullet">
    /// <item>Automatic preparation: every statement the index sends repeatedly is parsed and planned once per
    /// connection instead of on every call.</item>
    /// <item>No reset on close: otherwise each return of a connection to the pool makes the next command carry a
    /// session reset, which with prepared statements is several statements and costs the server more than a
    /// read by id. The index leaves no session state behind (no SET, temporary tables, LISTEN or advisory locks),
    /// and Npgsql still rolls back a transaction left open.</item>
    /// </list>
    /// </summary>
    public static string ConnectionString(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var keys = given.Keys.Cast<string>().Select(k => k.Replace(" ", "").ToLowerInvariant()).ToHashSet();
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!keys.Contains("maxautoprepare"))
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
        }
        if (!keys.Contains("noresetonclose"))
        {
            builder.NoResetOnClose = true;
        }
        return builder.ConnectionString;
    }
}
