using Wms.Api.Tests.Infrastructure;
using Wms.Api.Tests.Lifecycle;

namespace Wms.Api.Tests.Pages;

/// <summary>
/// One service with a fake MQS and a simulated TMS per pool (a <see cref="LifecycleHost"/>), and one headless Chromium,
/// shared by the web view's browser tests: each test makes workflows of its own and looks only at those, or at the
/// service's whole answer. In memory; <see cref="PostgresWebViewFixture"/> on PostgreSQL.
/// </summary>
public class WebViewFixture : IAsyncLifetime
{
    private LifecycleHost? _host;
    private HeadlessChromium? _browser;

    public LifecycleHost Host => _host ?? throw new InvalidOperationException("not started");

    public HeadlessChromium Browser => _browser ?? throw new InvalidOperationException("not started");

    protected virtual StorageMode Mode => StorageMode.Memory;

    public async Task InitializeAsync()
    {
        _host = await LifecycleHost.StartAsync(Mode);
        _browser = await HeadlessChromium.StartAsync();
        await _browser.EmulateFocusAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
