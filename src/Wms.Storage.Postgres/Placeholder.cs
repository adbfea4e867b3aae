namespace Wms.Storage.Postgres;

/// <summary>PostgreSQL storage for the WMS: Orleans' provider schema, migrations and the query index.</summary>
internal static class StorageAssembly
{
}
