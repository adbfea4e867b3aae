namespace Wms.Api.Tests.Infrastructure;

/// <summary>Where a test host keeps its state: the embedded in-memory default, or a PostgreSQL database of its own.</summary>
public enum StorageMode
{
    Memory,
    Postgres,
}
