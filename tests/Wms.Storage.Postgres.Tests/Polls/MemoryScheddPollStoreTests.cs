using Wms.Domain.Index;
using Wms.Storage.Memory;

namespace Wms.Storage.Postgres.Tests.Polls;

/// <summary>The poll store's cases against the memory store.</summary>
public sealed class MemoryScheddPollStoreTests : ScheddPollStoreCases
{
    protected override Task<IScheddPollStore> EmptyStoreAsync() =>
        Task.FromResult<IScheddPollStore>(new MemoryScheddPollStore());
}
