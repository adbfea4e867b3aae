using Wms.Api.Tests.Infrastructure;

namespace Wms.Api.Tests.Http1;

/// <summary>The service as it runs by default, shared by the tests of one class.</summary>
public sealed class RunningService : IAsyncLifetime
{
    public WmsServer Server { get; private set; } = null!;

    public Uri BaseAddress => Server.BaseAddress;

    public async Task InitializeAsync() => Server = await WmsServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
