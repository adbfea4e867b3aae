using Wms.Api.Tests.Infrastructure;

namespace Wms.Api.Tests.Pages;

/// <summary>
/// One service with the dashboard on and one headless Chromium, shared by the browser tests: each costs seconds to
/// start on a small machine.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private WmsServer? _server;
    private HeadlessChromium? _browser;

    public WmsServer Server => _server ?? throw new InvalidOperationException("not started");

    public HeadlessChromium Browser => _browser ?? throw new InvalidOperationException("not started");

    /// <summary>Where the screenshots go: TestResults/screenshots in the test's output directory.</summary>
    public static string ScreenshotPath(string name) =>
        Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots", name + ".png");

    public async Task InitializeAsync()
    {
        _server = await WmsServer.StartAsync(s => s["WMS_DASHBOARD"] = "true");
        _browser = await HeadlessChromium.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
