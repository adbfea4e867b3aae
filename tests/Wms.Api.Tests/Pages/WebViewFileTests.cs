using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Wms.Api.Security;
using Wms.Api.Tests.Auth;
using Wms.Api.Tests.Infrastructure;
using Wms.Api.Ui;

namespace Wms.Api.Tests.Pages;

/// <summary>
/// <c>/ui</c> over plain HTTP: the pages and every file they load answer without a token, with their media types,
/// an entity tag to revalidate with and the pages' Content-Security-Policy; they hold no inline script or style and
/// name no other host; the API's own answers stay uncached; and <c>WMS_UI=false</c> takes it all away.
/// </summary>
public sealed partial class WebViewFileTests
{
    private static readonly string[] Pages = ["ui", "ui/", "ui/workflows/WF-6650a1b2-0badf00d"];

    [Fact]
    public async Task ThePagesAndEveryFileTheyLoadAnswerWithoutATokenWithTheirMediaTypes()
    {
        // Authentication on, as in production: the pages are still open to anyone, the data behind them is not.
        var minter = TokenMinter.Symmetric();
        await using var server = await WmsServer.StartAsync(minter.Configure);

        var loaded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var page in Pages)
        {
            var html = await GetOkAsync(server, page, "text/html");
            foreach (var asset in PageText.Assets(html))
            {
                await LoadWithImportsAsync(server, new Uri(server.BaseAddress, asset), loaded);
            }
        }
        // The list's script and the workflow page's, the stylesheet and the icon, and what the scripts import.
        Assert.Contains("/ui/assets/list.js", loaded);
        Assert.Contains("/ui/assets/workflow.js", loaded);
        Assert.Contains("/ui/assets/wms-ui.css", loaded);
        Assert.Contains("/ui/assets/live.js", loaded);
        Assert.Contains("/ui/assets/plot.js", loaded);
        // Nothing is embedded that no page uses.
        var embedded = UiAssets.Embedded.All.Select(a => "/ui/assets/" + a.Name)
            .Where(a => !a.EndsWith(".html", StringComparison.Ordinal));
        Assert.Empty(embedded.Except(loaded));

        using var data = await server.Http.PostAsync("v1/query/workflows", Json("""{"query": {}}"""));
        Assert.Null(Answers.ContractErrorProblem(data, await data.Content.ReadAsStringAsync(),
            StatusCodes.Status403Forbidden, "authentication failed"));
    }

    [Fact]
    public async Task EachFileHasAnEntityTagAndAnUnchangedOneAnswers304WithoutABody()
    {
        await using var server = await WmsServer.StartAsync();

        foreach (var path in new[] { "ui/", "ui/workflows/WF-1", "ui/assets/workflow.js", "ui/assets/wms-ui.css" })
        {
            using var first = await server.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            var tag = first.Headers.ETag;
            Assert.NotNull(tag);
            Assert.False(tag.IsWeak);
            Assert.Equal("no-cache", string.Join(",", first.Headers.GetValues("Cache-Control")));

            using var again = new HttpRequestMessage(HttpMethod.Get, path);
            again.Headers.IfNoneMatch.Add(tag);
            using var unchanged = await server.Http.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
            Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync());
            Assert.Equal(tag, unchanged.Headers.ETag);

            using var stale = new HttpRequestMessage(HttpMethod.Get, path);
            stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"0123456789abcdef\""));
            using var changed = await server.Http.SendAsync(stale);
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
            Assert.NotEmpty(await changed.Content.ReadAsByteArrayAsync());
        }
        // Two files, two tags; the two pages differ too.
        var tags = await Task.WhenAll(new[] { "ui/", "ui/workflows/WF-1", "ui/assets/api.js" }.Select(async p =>
        {
            using var response = await server.Http.GetAsync(p);
            return response.Headers.ETag!.Tag;
        }));
        Assert.Equal(tags.Length, tags.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task ThePagesCarryTheBrowserPagePolicyAndTheAnswersOfTheApiStayUncached()
    {
        await using var server = await WmsServer.StartAsync();

        foreach (var path in new[] { "ui/", "ui/workflows/WF-1", "ui/assets/list.js" })
        {
            using var response = await server.Http.GetAsync(path);
            Assert.Equal(BrowserPage.ContentSecurityPolicy, string.Join(";", response.Headers.GetValues("Content-Security-Policy")));
            Assert.Null(Answers.SecurityHeadersProblem(response, revalidatedAsset: true));
        }
        // The API keeps its own: nothing of it may be kept by a browser.
        using var api = await server.Http.GetAsync("v1/");
        Assert.Null(Answers.SecurityHeadersProblem(api));
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, string.Join(";", api.Headers.GetValues("Content-Security-Policy")));
        // An error answered under /ui is an answer like the API's, uncached.
        using var missing = await server.Http.GetAsync("ui/assets/nothing.js");
        Assert.Null(Answers.ContractErrorProblem(missing, await missing.Content.ReadAsStringAsync(),
            StatusCodes.Status404NotFound, "no web view file named nothing.js"));
        Assert.Equal("no-store", string.Join(",", missing.Headers.GetValues("Cache-Control")));
    }

    [Fact]
    public async Task NoPageOrFileRunsInlineScriptOrStyleOrNamesAnotherHost()
    {
        await using var server = await WmsServer.StartAsync();

        foreach (var asset in UiAssets.Embedded.All)
        {
            var text = await server.Http.GetStringAsync($"ui/assets/{asset.Name}");
            Assert.Empty(PageText.ExternalAddresses(text, server.BaseAddress));
            if (asset.Name.EndsWith(".html", StringComparison.Ordinal))
            {
                // Every script has a src; no style element, style attribute or event handler attribute.
                Assert.Empty(InlineScripts().Matches(text));
                Assert.DoesNotContain("<style", text, StringComparison.OrdinalIgnoreCase);
                Assert.Empty(InlineStyleOrHandler().Matches(text));
            }
            if (asset.Name.EndsWith(".js", StringComparison.Ordinal))
            {
                // The scripts set no style attribute and parse no HTML either: text goes in as text.
                Assert.DoesNotContain("innerHTML", text, StringComparison.Ordinal);
                Assert.DoesNotContain("setAttribute('style'", text, StringComparison.Ordinal);
                Assert.DoesNotContain("eval(", text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task WmsUiFalseServesNoneOfIt()
    {
        await using var server = await WmsServer.StartAsync(s => s["WMS_UI"] = "false");

        foreach (var path in new[] { "ui", "ui/", "ui/workflows/WF-1", "ui/assets/list.js", "ui/assets/wms-ui.css" })
        {
            using var response = await server.Http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} answered {(int)response.StatusCode}");
        }
        // The API the pages would call is there as ever.
        using var api = await server.Http.GetAsync("v1/");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    private static async Task LoadWithImportsAsync(WmsServer server, Uri url, HashSet<string> loaded)
    {
        if (!loaded.Add(url.AbsolutePath))
        {
            return;
        }
        var type = Path.GetExtension(url.AbsolutePath) switch
        {
            ".js" => "text/javascript",
            ".css" => "text/css",
            ".svg" => "image/svg+xml",
            var other => throw new InvalidOperationException($"a page loads {url}, of a kind not expected ({other})"),
        };
        var text = await GetOkAsync(server, url, type);
        if (type == "text/javascript")
        {
            foreach (Match import in Imports().Matches(text))
            {
                await LoadWithImportsAsync(server, new Uri(url, import.Groups["path"].Value), loaded);
            }
        }
    }

    private static Task<string> GetOkAsync(WmsServer server, string path, string mediaType) =>
        GetOkAsync(server, new Uri(server.BaseAddress, path), mediaType);

    private static async Task<string> GetOkAsync(WmsServer server, Uri url, string mediaType)
    {
        using var response = await server.Http.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url.AbsolutePath} answered {(int)response.StatusCode}: {Answers.Clip(text)}");
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(text);
        return text;
    }

    private static StringContent Json(string text) => new(text, System.Text.Encoding.UTF8, "application/json");

    [GeneratedRegex(@"\bfrom\s+'(?<path>\./[^']+)'")]
    private static partial Regex Imports();

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScripts();

    [GeneratedRegex(@"<[^>]+\s(?:style|on[a-z]+)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineStyleOrHandler();
}
