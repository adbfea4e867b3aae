using Wms.Domain.Index;
using Wms.Storage.Postgres.Polls;
using Wms.Storage.Postgres.Tests.Index;

namespace Wms.Storage.Postgres.Tests.Polls;

/// <summary>The poll store's cases against its table (migration 0108), emptied before each.</summary>
public sealed class PostgresScheddPollStoreTests(IndexDatabase database) : ScheddPollStoreCases, IClassFixture<IndexDatabase>
{
    protected override async Task<IScheddPollStore> EmptyStoreAsync()
    {
        await database.ExecuteAsync("TRUNCATE public.wms_schedd_poll");
        return new PostgresScheddPollStore(database.DataSource);
    }
}
