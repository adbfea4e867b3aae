using Npgsql;

namespace Wms.Storage.Postgres;

/// <summary>The store refused a group's content (rather than failing to store it); the store's error is inside.</summary>
internal sealed class RefusedGroupException(Exception inner) : Exception(inner.Message, inner)
{
    /// <summary>
    /// The server refused the rows themselves (a bad value, a constraint, a trigger's exception, a size limit):
    /// some item's own fault, which committing each item alone isolates. Anything else (the connection, a
    /// cancelled statement, a deadlock, the server's resources) would fail the items alone as well.
    /// </summary>
    public static bool IsRefusal(PostgresException error) =>
        error.SqlState.Length >= 2 && error.SqlState[..2] is "22" or "23" or "54" or "P0";
}
