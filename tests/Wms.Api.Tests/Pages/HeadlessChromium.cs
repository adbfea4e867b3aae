using System.Diagnostics;
using System.Text.Json;
using Wms.Testing;

namespace Wms.Api.Tests.Pages;

/// <summary>
/// A headless Chromium with a fresh profile that reaches nothing but 127.0.0.1 (every host name fails to resolve),
/// driven through one page over the DevTools protocol. It records every request the page makes and every error it
/// reports (a script failing, a load refused by the Content-Security-Policy), so that a test can say the page
/// rendered from the service alone.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    /// <summary>How long a page may take to render: a few seconds alone, but these machines are small and shared.</summary>
    public static readonly TimeSpan RenderDeadline = TimeSpan.FromSeconds(90);

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly DirectoryInfo _profile;
    private readonly DevToolsSession _page;

    private HeadlessChromium(Process process, DirectoryInfo profile, DevToolsSession page)
    {
        _process = process;
        _profile = profile;
        _page = page;
    }

    public static async Task<HeadlessChromium> StartAsync()
    {
        var binary = await ChromiumBinary.PathAsync();
        var profile = Directory.CreateTempSubdirectory("wms-chromium-");
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless",
            // The tests run as root, where Chromium's sandbox cannot start.
            "--no-sandbox",
            "--disable-gpu",
            $"--user-data-dir={profile.FullName}",
            // Chromium picks a free port and writes it to DevToolsActivePort in the profile.
            "--remote-debugging-port=0",
            // No network beyond the service: every name fails to resolve, addresses other than 127.0.0.1 included.
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-default-browser-check",
            "--window-size=1400,1000",
            "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {binary}");
        // Its own chatter (D-Bus, GPU) is of no interest, but the pipes must be drained or it blocks.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var page = await ConnectAsync(process, profile);
            foreach (var domain in new[] { "Page", "Network", "Runtime", "Log" })
            {
                await page.SendAsync($"{domain}.enable");
            }
            return new HeadlessChromium(process, profile, page);
        }
        catch
        {
            Stop(process, profile);
            throw;
        }
    }

    /// <summary>Opens the URL; the page then renders on its own, so wait for it with <see cref="WaitForTextAsync"/>.</summary>
    public async Task NavigateAsync(Uri url)
    {
        var result = await _page.SendAsync("Page.navigate", new { url = url.AbsoluteUri });
        if (result.TryGetProperty("errorText", out var error))
        {
            throw new InvalidOperationException($"{url} did not load: {error}");
        }
    }

    /// <summary>The text the page shows now, as a person would read it.</summary>
    public async Task<string> TextAsync()
    {
        var result = await _page.SendAsync("Runtime.evaluate",
            new { expression = "document.body ? document.body.innerText : ''", returnByValue = true });
        return result.GetProperty("result").GetProperty("value").GetString() ?? "";
    }

    /// <summary>
    /// Waits until the page shows every one of <paramref name="texts"/>, in any case (styles may set headings in
    /// capitals); false when it still does not at the deadline (<see cref="RenderDeadline"/>).
    /// </summary>
    public Task<bool> WaitForTextAsync(params string[] texts) =>
        Poll.UntilAsync(async () =>
        {
            var shown = await TextAsync();
            return texts.All(t => shown.Contains(t, StringComparison.OrdinalIgnoreCase));
        }, RenderDeadline, TimeSpan.FromMilliseconds(250));

    /// <summary>
    /// Runs a script expression in the page and gives its value (a promise is awaited); a script that throws fails
    /// the test with its message.
    /// </summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await _page.SendAsync("Runtime.evaluate",
            new { expression, returnByValue = true, awaitPromise = true, userGesture = true });
        if (result.TryGetProperty("exceptionDetails", out var thrown))
        {
            throw new InvalidOperationException($"the page's script threw: {thrown}");
        }
        var value = result.GetProperty("result");
        return value.TryGetProperty("value", out var found) ? found.Clone() : default;
    }

    /// <summary>
    /// Waits until a script expression is true in the page; false when it still is not at the deadline. While the
    /// page is still coming, the expression may throw (an element not there yet): that counts as false.
    /// </summary>
    public Task<bool> WaitForAsync(string condition) => WaitForAsync(condition, RenderDeadline);

    public Task<bool> WaitForAsync(string condition, TimeSpan deadline) =>
        Poll.UntilAsync(async () =>
            (await EvaluateAsync($"(() => {{ try {{ return Boolean({condition}); }} catch {{ return false; }} }})()")).ValueKind
                == JsonValueKind.True,
            deadline, TimeSpan.FromMilliseconds(200));

    /// <summary>
    /// The page behaves as the focused window, as a page someone uses does: focus events fire when a script or the
    /// keyboard moves the focus. (A headless page has no window focus of its own.)
    /// </summary>
    public async Task EmulateFocusAsync() =>
        await _page.SendAsync("Emulation.setFocusEmulationEnabled", new { enabled = true });

    /// <summary>Types text where the focus is, as a keyboard would (one input event for the whole text).</summary>
    public async Task TypeAsync(string text) => await _page.SendAsync("Input.insertText", new { text });

    /// <summary>Presses a key such as Enter or Tab where the focus is.</summary>
    public async Task PressAsync(string key, int keyCode)
    {
        var text = key == "Enter" ? "\r" : null;
        await _page.SendAsync("Input.dispatchKeyEvent",
            new { type = "keyDown", key, code = key, windowsVirtualKeyCode = keyCode, text });
        await _page.SendAsync("Input.dispatchKeyEvent",
            new { type = "keyUp", key, code = key, windowsVirtualKeyCode = keyCode });
    }

    /// <summary>The page as a device of this width and height sees it (a phone: mobile, with touch's viewport).</summary>
    public async Task SetViewportAsync(int width, int height, bool mobile = false) =>
        await _page.SendAsync("Emulation.setDeviceMetricsOverride",
            new { width, height, deviceScaleFactor = 1, mobile });

    /// <summary>Back to the window's own size.</summary>
    public async Task ResetViewportAsync() => await _page.SendAsync("Emulation.clearDeviceMetricsOverride");

    /// <summary>What the page's prefers-color-scheme says: "light", "dark", or "" for the browser's own.</summary>
    public async Task SetColorSchemeAsync(string scheme) =>
        await _page.SendAsync("Emulation.setEmulatedMedia",
            new { features = new[] { new { name = "prefers-color-scheme", value = scheme } } });

    /// <summary>The page's time zone, an IANA name such as Asia/Kolkata; "" for the machine's.</summary>
    public async Task SetTimeZoneAsync(string timezoneId) =>
        await _page.SendAsync("Emulation.setTimezoneOverride", new { timezoneId });

    /// <summary>Saves the whole page, below the window's bottom too, as a PNG.</summary>
    public async Task FullPageScreenshotAsync(string path)
    {
        var size = await EvaluateAsync("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]");
        var width = size[0].GetDouble();
        var height = size[1].GetDouble();
        var result = await _page.SendAsync("Page.captureScreenshot", new
        {
            format = "png",
            captureBeyondViewport = true,
            clip = new { x = 0, y = 0, width, height, scale = 1 },
        });
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(result.GetProperty("data").GetString()!));
    }

    /// <summary>Saves what the page looks like now as a PNG.</summary>
    public async Task ScreenshotAsync(string path)
    {
        var result = await _page.SendAsync("Page.captureScreenshot", new { format = "png" });
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(result.GetProperty("data").GetString()!));
    }

    /// <summary>How many requests and errors there were so far, to look at only those that come after.</summary>
    public readonly record struct Position(int Requests, int Errors, int ConsoleErrors = 0);

    public Position Mark() => new(Requests.Count, Errors.Count, ConsoleErrors.Count);

    /// <summary>
    /// Every request the page sent so far, with the headers it sent: requestWillBeSent lists those the page set, and
    /// requestWillBeSentExtraInfo what went on the wire.
    /// </summary>
    public IReadOnlyList<SentRequest> SentRequests =>
        _page.Events("Network.requestWillBeSent")
            .Select(e => new SentRequest(
                e.GetProperty("requestId").GetString()!,
                new Uri(e.GetProperty("request").GetProperty("url").GetString()!),
                e.GetProperty("request").GetProperty("method").GetString()!,
                e.GetProperty("request").GetProperty("headers").EnumerateObject()
                    .ToDictionary(h => h.Name, h => h.Value.GetString() ?? "", StringComparer.OrdinalIgnoreCase)))
            .ToList();

    /// <summary>A request as the page sent it.</summary>
    public sealed record SentRequest(string Id, Uri Url, string Method, IReadOnlyDictionary<string, string> Headers);

    /// <summary>Every URL the page has asked for so far, scripts, styles, fonts, images and data alike.</summary>
    public IReadOnlyList<Uri> Requests =>
        _page.Events("Network.requestWillBeSent")
            .Select(e => new Uri(e.GetProperty("request").GetProperty("url").GetString()!))
            .ToList();

    /// <summary>
    /// What the page reported as going wrong: errors it logged (a load the policy refused, a failed request) and
    /// scripts that threw.
    /// </summary>
    public IReadOnlyList<string> Errors =>
        _page.Events("Log.entryAdded")
            .Select(e => e.GetProperty("entry"))
            .Where(e => e.GetProperty("level").GetString() == "error")
            .Select(e => $"{e.GetProperty("source").GetString()}: {e.GetProperty("text").GetString()}" +
                (e.TryGetProperty("url", out var url) ? $" ({url.GetString()})" : ""))
            .Concat(_page.Events("Runtime.exceptionThrown")
                .Select(e => "exception: " + e.GetProperty("exceptionDetails").ToString()))
            .ToList();

    /// <summary>What the page's scripts wrote to the console as errors.</summary>
    public IReadOnlyList<string> ConsoleErrors =>
        _page.Events("Runtime.consoleAPICalled")
            .Where(e => e.GetProperty("type").GetString() is "error" or "assert")
            .Select(e => "console: " + e.GetProperty("args").ToString())
            .ToList();

    public async ValueTask DisposeAsync()
    {
        await _page.DisposeAsync();
        Stop(_process, _profile);
    }

    private static async Task<DevToolsSession> ConnectAsync(Process process, DirectoryInfo profile)
    {
        var portFile = Path.Combine(profile.FullName, "DevToolsActivePort");
        string[] lines = [];
        var listening = await Poll.UntilAsync(() =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"chromium exited with {process.ExitCode} as it started");
            }
            lines = File.Exists(portFile) ? ReadShared(portFile) : [];
            return lines.Length >= 2;
        }, StartDeadline, TimeSpan.FromMilliseconds(100));
        Assert.True(listening, $"chromium did not open its DevTools port within {StartDeadline.TotalSeconds} s");

        // The one tab it opened, about:blank, is the page to drive.
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{lines[0].Trim()}/") };
        using var targets = JsonDocument.Parse(await http.GetStringAsync("json/list"));
        var tab = targets.RootElement.EnumerateArray().First(t => t.GetProperty("type").GetString() == "page");
        return await DevToolsSession.ConnectAsync(new Uri(tab.GetProperty("webSocketDebuggerUrl").GetString()!));
    }

    /// <summary>The port file is written while it is read; a partial read is simply read again.</summary>
    private static string[] ReadShared(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static void Stop(Process process, DirectoryInfo profile)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        finally
        {
            process.Dispose();
            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A child still finishing a write; the temporary directory is the system's to clean then.
            }
        }
    }
}
