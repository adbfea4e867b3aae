using System.Net.Http.Headers;
using Wms.Api.Tests.Auth;
using Wms.Api.Tests.Infrastructure;
using Wms.Api.Tests.Lifecycle;
using Xunit.Abstractions;
using static Wms.Api.Tests.Pages.WebViewChecks;

namespace Wms.Api.Tests.Pages;

/// <summary>
/// With authentication on, the web view asks for a token with the service's own reason, keeps the one given for the
/// browser tab, sends it with every call to this service, and asks again when the service refuses it.
/// </summary>
public sealed class WebViewAuthTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ThePageAsksForATokenAndLoadsOnceAGoodOneIsPasted()
    {
        var minter = TokenMinter.Symmetric();
        await using var server = await WmsServer.StartAsync(minter.Configure);
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.EmulateFocusAsync();
        var userToken = minter.User();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", userToken);
        var workflowId = Flow.WorkflowId(await new UserClient(http).CreateWorkflowAsync(Flow.SimpleWorkflow(Flow.Alpha)));
        var before = browser.Mark();

        // No token yet: the service's refusal, and the box to paste one in, with the focus in it.
        await browser.NavigateAsync(new Uri(server.BaseAddress, "ui"));
        Assert.True(await browser.WaitForAsync("!document.getElementById('token-prompt').hidden"),
            $"no token was asked for; the page shows:\n{await browser.TextAsync()}");
        var refusal = await RefusalAsync(browser);
        Assert.Contains("authentication failed", refusal, StringComparison.Ordinal);
        Assert.Equal("token-input", (await browser.EvaluateAsync("document.activeElement.id")).GetString());
        await SaveScreenshotAsync(browser, output, "ui-token-prompt");

        // A token the service refuses: asked again, with its reason.
        await browser.TypeAsync("not-a-token");
        await browser.PressAsync("Enter", 13);
        Assert.True(await browser.WaitForAsync(
            "document.getElementById('token-refused').textContent.startsWith('The service refused the token')"),
            $"a refused token was not asked again; the page shows:\n{await browser.TextAsync()}");
        Assert.Contains("authentication failed", await RefusalAsync(browser), StringComparison.Ordinal);
        Assert.False((await browser.EvaluateAsync("document.getElementById('token-prompt').hidden")).GetBoolean());

        // The user's token, pasted with its scheme and a line break as copied from somewhere: the list loads.
        await browser.EvaluateAsync("document.getElementById('token-input').focus()");
        await browser.TypeAsync($"Bearer {userToken}\n");
        await browser.PressAsync("Enter", 13);
        Assert.True(await browser.WaitForAsync($"document.querySelector('tr[data-workflow-id={Js(workflowId)}]')"),
            $"the list did not load with the token; the page shows:\n{await browser.TextAsync()}");
        Assert.True((await browser.EvaluateAsync("document.getElementById('token-prompt').hidden")).GetBoolean());
        Assert.False((await browser.EvaluateAsync("document.getElementById('forget-token').hidden")).GetBoolean());
        await SaveScreenshotAsync(browser, output, "ui-list-with-token");
        var sent = browser.SentRequests.Skip(before.Requests).Where(r => r.Url.AbsolutePath.StartsWith("/v1/", StringComparison.Ordinal)).ToList();
        Assert.Contains(sent, r => r.Headers.TryGetValue("Authorization", out var a) && a == $"Bearer {userToken}");
        // The pages and their files were asked for without a token: it goes to the API alone.
        Assert.All(browser.SentRequests.Skip(before.Requests).Where(r => r.Url.AbsolutePath.StartsWith("/ui", StringComparison.Ordinal)),
            r => Assert.False(r.Headers.ContainsKey("Authorization"), $"{r.Url} was sent the token"));

        // Another page of the same tab needs no second paste.
        await browser.NavigateAsync(new Uri(server.BaseAddress, $"ui/workflows/{workflowId}"));
        Assert.True(await browser.WaitForAsync("document.querySelectorAll('article.taskforce').length === 1"),
            $"the workflow page did not load with the kept token; it shows:\n{await browser.TextAsync()}");
        Assert.True((await browser.EvaluateAsync("document.getElementById('token-prompt').hidden")).GetBoolean());

        // Forgetting the token asks for one again.
        await browser.EvaluateAsync("document.getElementById('forget-token').click()");
        Assert.True(await browser.WaitForAsync("!document.getElementById('token-prompt').hidden"));
        Assert.Contains("authentication failed", await RefusalAsync(browser), StringComparison.Ordinal);

        // The refusals the browser logged as failed loads are the 403s of /v1 (and the routes not there yet).
        AssertOnlyTheServiceWasAsked(browser, server.BaseAddress, before,
            e => e.Contains("403", StringComparison.Ordinal) && e.Contains("/v1/", StringComparison.Ordinal) || AwaitedRouteMissing(e));
    }

    [Fact]
    public async Task AUserTokenTheServiceNoLongerTakesBringsTheBoxBackWithItsReason()
    {
        var minter = TokenMinter.Symmetric();
        await using var server = await WmsServer.StartAsync(minter.Configure);
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.EmulateFocusAsync();
        var before = browser.Mark();

        // A TMS token is a good token without the user's role: the list's finds admit it, a workflow read does not.
        await browser.NavigateAsync(new Uri(server.BaseAddress, "ui/workflows/WF-6650a1b2-0badf00d"));
        Assert.True(await browser.WaitForAsync("!document.getElementById('token-prompt').hidden"));
        await browser.TypeAsync(minter.Tms());
        await browser.PressAsync("Enter", 13);
        Assert.True(await browser.WaitForAsync(
            "document.getElementById('token-refused').textContent.includes('authorization failed')"),
            $"the refused role was not said; the page shows:\n{await browser.TextAsync()}");
        Assert.False((await browser.EvaluateAsync("document.getElementById('token-prompt').hidden")).GetBoolean());

        // A user's token goes on to the service's own answer: no such workflow.
        await browser.TypeAsync(minter.User());
        await browser.PressAsync("Enter", 13);
        Assert.True(await browser.WaitForAsync(
            "document.getElementById('page-status').textContent.includes('no workflow found with id: WF-6650a1b2-0badf00d')"),
            $"the service's answer was not shown; the page shows:\n{await browser.TextAsync()}");
        AssertOnlyTheServiceWasAsked(browser, server.BaseAddress, before,
            e => (e.Contains("403", StringComparison.Ordinal) || e.Contains("404", StringComparison.Ordinal)) &&
                e.Contains("/v1/", StringComparison.Ordinal));
    }

    private static async Task<string> RefusalAsync(HeadlessChromium browser) =>
        (await browser.EvaluateAsync("document.getElementById('token-refused').textContent")).GetString()!;
}
