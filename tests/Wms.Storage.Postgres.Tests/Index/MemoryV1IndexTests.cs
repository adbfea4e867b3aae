using Wms.Domain.Index;
using Wms.Storage.Memory;

namespace Wms.Storage.Postgres.Tests.Index;

/// <summary>The <c>/v1</c> cases against the memory index.</summary>
public sealed class MemoryV1IndexTests : V1IndexCases
{
    protected override Task<IObjectIndex> EmptyIndexAsync() => Task.FromResult<IObjectIndex>(new MemoryObjectIndex());
}
