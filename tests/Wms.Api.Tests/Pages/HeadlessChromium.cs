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

    /// <summary>Saves what the page looks like now as a PNG.</summary>
    public async Task ScreenshotAsync(string path)
    {
        var result = await _page.SendAsync("Page.captureScreenshot", new { format = "png" });
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(result.GetProperty("data").GetString()!));
    }

    /// <summary>How many requests and errors there were so far, to look at only those that come after.</summary>
    public readonly record struct Position(int Requests, int Errors);

    public Position Mark() => new(Requests.Count, Errors.Count);

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
