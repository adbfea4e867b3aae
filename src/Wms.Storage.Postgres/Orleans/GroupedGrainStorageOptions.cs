namespace Wms.Storage.Postgres;

/// <summary>
/// How a grain storage registered by <see cref="OrleansPostgres.AddPostgresGrainStorage"/> groups concurrent state
/// reads and writes; named options, by storage name (<c>services.Configure&lt;GroupedGrainStorageOptions&gt;(name, ...)</c>).
/// </summary>
public sealed class GroupedGrainStorageOptions
{
    /// <summary>Off: the plain ADO.NET provider, one round trip and one transaction per read or write.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Most writes one round trip carries. Like the query index's bound (a few hundred rows in one statement cost
    /// PostgreSQL little more than one), but lower, since a grain state row is larger than an index row.
    /// </summary>
    public int MaxGroupWrites { get; set; } = 256;

    /// <summary>Most reads one round trip carries (a read is the provider's statement, a row or none).</summary>
    public int MaxGroupReads { get; set; } = 256;

    /// <summary>
    /// Groups committing at once: a second one overlaps one group's round trip with the next one's work; more
    /// would only split the waiting writes into smaller, costlier groups.
    /// </summary>
    public int MaxGroupsInFlight { get; set; } = 2;
}
