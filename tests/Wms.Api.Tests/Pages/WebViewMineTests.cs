using System.Net.Http.Headers;
using Wms.Api.Tests.Auth;
using Wms.Api.Tests.Infrastructure;
using Wms.Api.Tests.Lifecycle;
using Xunit.Abstractions;
using static Wms.Api.Tests.Pages.WebViewChecks;

namespace Wms.Api.Tests.Pages;

/// <summary>
/// With authentication on, the list shows the caller's own workflows unless asked for every readable one, and keeps
/// the choice in the address (<c>?mine=1</c> or <c>0</c>).
/// </summary>
public sealed class WebViewMineTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TheListShowsTheCallersOwnByDefaultAndEveryReadableOneWhenAsked()
    {
        var minter = TokenMinter.Symmetric();
        await using var server = await WmsServer.StartAsync(StorageMode.Postgres, s =>
        {
            minter.Configure(s);
            s["WMS_AUTH_DISABLED"] = null;
        });
        var alice = minter.User("alice");
        var alices = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            alices.Add(await CreateAsync(server, alice));
        }
        var bobs = await CreateAsync(server, minter.User("bob"));
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.EmulateFocusAsync();
        var before = browser.Mark();

        // Alice's token, pasted when asked: her two, and not bob's.
        await browser.NavigateAsync(new Uri(server.BaseAddress, "ui"));
        Assert.True(await browser.WaitForAsync("!document.getElementById('token-prompt').hidden"),
            $"no token was asked for; the page shows:\n{await browser.TextAsync()}");
        await browser.TypeAsync(alice);
        await browser.PressAsync("Enter", 13);
        Assert.True(await browser.WaitForAsync(
            "document.getElementById('list-status').textContent.includes('of yours, newest first')"),
            $"the caller's own were not listed; the page shows:\n{await browser.TextAsync()}");
        Assert.Equal(alices.AsEnumerable().Reverse(), (await WebViewListPaging.RowsAsync(browser)).Select(r => r.Id));
        Assert.Equal("mine", (await browser.EvaluateAsync("document.getElementById('filter-owner').value")).GetString());
        Assert.Contains("mine=1", (await browser.EvaluateAsync("location.search")).GetString(), StringComparison.Ordinal);
        await SaveScreenshotAsync(browser, output, "ui-list-mine");

        // Every readable one: bob's too, newest first.
        await browser.EvaluateAsync(
            "(s => { s.value = 'all'; s.dispatchEvent(new Event('change')); })(document.getElementById('filter-owner'))");
        Assert.True(await browser.WaitForAsync($"document.querySelector('tr[data-workflow-id={Js(bobs)}]') !== null"),
            $"bob's workflow is not listed; the page shows:\n{await browser.TextAsync()}");
        Assert.Equal([bobs, alices[1], alices[0]], (await WebViewListPaging.RowsAsync(browser)).Select(r => r.Id));
        Assert.Contains("mine=0", (await browser.EvaluateAsync("location.search")).GetString(), StringComparison.Ordinal);

        // The address keeps the choice: a reload shows every one again, with the token kept for the tab.
        await browser.NavigateAsync(new Uri(server.BaseAddress, "ui?mine=0"));
        Assert.True(await browser.WaitForAsync(
            $"document.querySelector('tr[data-workflow-id={Js(bobs)}]') !== null && " +
            "document.getElementById('filter-owner').value === 'all'"),
            $"?mine=0 was not kept; the page shows:\n{await browser.TextAsync()}");
        await browser.NavigateAsync(new Uri(server.BaseAddress, "ui?mine=1"));
        Assert.True(await browser.WaitForAsync(
            "document.getElementById('list-status').textContent.includes('of yours, newest first')"));
        Assert.Equal(alices.AsEnumerable().Reverse(), (await WebViewListPaging.RowsAsync(browser)).Select(r => r.Id));

        AssertOnlyTheServiceWasAsked(browser, server.BaseAddress, before,
            e => e.Contains("403", StringComparison.Ordinal) && e.Contains("/v1/", StringComparison.Ordinal));
    }

    private static async Task<string> CreateAsync(WmsServer server, string token)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return Flow.WorkflowId(await new UserClient(http).CreateWorkflowAsync(Flow.SimpleWorkflow(Flow.Alpha)));
    }
}
