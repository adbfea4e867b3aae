using Wms.Domain.Index;

namespace Wms.Storage.Postgres.Tests.Index;

/// <summary>The <c>/v1</c> cases against the PostgreSQL index, emptied before each.</summary>
public sealed class PostgresV1IndexTests(IndexDatabase database) : V1IndexCases, IClassFixture<IndexDatabase>
{
    protected override async Task<IObjectIndex> EmptyIndexAsync()
    {
        await database.ResetAsync();
        return database.Index;
    }
}
