using System.Text.Json;
using Xunit.Abstractions;

namespace Wms.Api.Tests.Pages;

/// <summary>What every web view test checks of the browser, and how it keeps its screenshots.</summary>
public static class WebViewChecks
{
    /// <summary>
    /// Routes of issue 17 that other work adds; until they are there, they answer 404, the page says what is not
    /// available, and the browser logs the 404 as a failed load.
    /// </summary>
    public static bool IsAwaitedRoute(Uri url) =>
        url.AbsolutePath.EndsWith("/explain", StringComparison.Ordinal) ||
        url.AbsolutePath.EndsWith("/events", StringComparison.Ordinal);

    /// <summary>
    /// Since <paramref name="before"/>, the page asked the service alone for everything, and reported no error but
    /// the failed loads <paramref name="expectedFailure"/> admits (by the text the browser logged).
    /// </summary>
    public static void AssertOnlyTheServiceWasAsked(
        HeadlessChromium browser, Uri service, HeadlessChromium.Position before, Func<string, bool>? expectedFailure = null)
    {
        var requests = browser.Requests.Skip(before.Requests).ToList();
        Assert.NotEmpty(requests);
        var elsewhere = requests
            .Where(u => u.Scheme is not ("data" or "blob") && u.Authority != service.Authority)
            .ToList();
        Assert.True(elsewhere.Count == 0, "the page asked other hosts: " + string.Join(", ", elsewhere));
        var errors = browser.Errors.Skip(before.Errors)
            .Where(e => !(e.StartsWith("network: ", StringComparison.Ordinal) && (expectedFailure?.Invoke(e) ?? false)))
            .Concat(browser.ConsoleErrors.Skip(before.ConsoleErrors))
            .ToList();
        Assert.True(errors.Count == 0, "the page reported errors:\n" + string.Join("\n", errors));
    }

    /// <summary>A failed load of a route not there yet (explain, events): "... 404 ... (http://.../explain)".</summary>
    public static bool AwaitedRouteMissing(string error) =>
        error.Contains("404", StringComparison.Ordinal) &&
        (error.EndsWith("/explain)", StringComparison.Ordinal) || error.EndsWith("/events)", StringComparison.Ordinal));

    public static async Task SaveScreenshotAsync(HeadlessChromium browser, ITestOutputHelper output, string name)
    {
        var path = BrowserFixture.ScreenshotPath(name);
        await browser.FullPageScreenshotAsync(path);
        output.WriteLine($"screenshot: {path}");
    }

    /// <summary>A JSON string literal of the text, to put into a script expression.</summary>
    public static string Js(string text) => JsonSerializer.Serialize(text);
}
