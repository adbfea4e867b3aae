using Npgsql;

namespace Wms.Storage.Postgres.Index;

/// <summary>
/// The data sources the query index should run on: one for its few fixed statements (reads by id, polls, writes,
/// the loops' queries) and one for finds, whose SQL follows each request's filter.
/// </summary>
public static class IndexDataSource
{
    /// <summary>Room for the index's fixed statements (about a dozen); finds go to a pool of their own.</summary>
    public const int MaxAutoPrepare = 32;

    public static NpgsqlDataSource Create(string connectionString) =>
        NpgsqlDataSource.Create(ConnectionString(connectionString));

    /// <summary>
    /// For finds: planned for each request's own values, as PostgreSQL does by default, so that a filter on a rare
    /// phase can still use that phase's partial index. Not prepared either: each find's SQL follows its filter.
    /// </summary>
    public static NpgsqlDataSource CreateForFinds(string connectionString) =>
        NpgsqlDataSource.Create(connectionString);

    /// <summary>
    /// The connection string with the index's settings added, unless it sets them itself:
    /// <list type="bullet">
    /// <item>Automatic preparation: every statement the index sends repeatedly is parsed and planned once per
    /// connection instead of on every call.</item>
    /// <item>No reset on close: otherwise each return of a connection to the pool makes the next command carry a
    /// session reset, which with prepared statements is several statements and costs the server more than a
    /// read by id. The index leaves no session state behind (no SET, temporary tables, LISTEN or advisory locks),
    /// and Npgsql still rolls back a transaction left open.</item>
    /// <item>Generic plans: the fixed statements take arrays of keys, and PostgreSQL otherwise plans each execution
    /// anew for its array's length (a custom plan always looks cheaper than a generic one costed for ten
    /// elements), which makes planning a large part of each read's cost to the server. None of these statements
    /// has a plan that depends on its values.</item>
    /// </list>
    /// </summary>
    public static string ConnectionString(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!ConnectionStringKeys.Sets(connectionString, "Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
        }
        if (!ConnectionStringKeys.Sets(connectionString, "No Reset On Close"))
        {
            builder.NoResetOnClose = true;
        }
        if (builder.Options?.Contains("plan_cache_mode", StringComparison.Ordinal) != true)
        {
            builder.Options = $"{builder.Options} -c plan_cache_mode=force_generic_plan".Trim();
        }
        return builder.ConnectionString;
    }
}
