using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wms.Api.Tests.Infrastructure;

namespace Wms.Api.Tests.Configuration;

/// <summary>
/// Requests run on the thread that received them. That is safe only while nothing blocks it, so synchronous body
/// I/O stays refused.
/// </summary>
public sealed class TransportSettingsTests
{
    [Fact]
    public async Task RequestsRunInlineAndSynchronousIoIsRefused()
    {
        await using var app = await WmsServer.BuildAsync(WmsServer.DefaultSettings());

        Assert.True(app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);
        Assert.False(app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.AllowSynchronousIO);
    }
}
