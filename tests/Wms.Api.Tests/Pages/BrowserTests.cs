using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Wms.Api.Tests.BadInput;
using Xunit.Abstractions;

namespace Wms.Api.Tests.Pages;

/// <summary>
/// The pages as a person sees them: a real browser, with no network beyond the service, renders <c>/docs</c> and
/// <c>/dashboard</c>, and each page shows what it is for. A screenshot of each is kept (TestResults/screenshots in the
/// test's output directory).
/// </summary>
public sealed class BrowserTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private HeadlessChromium Browser => fixture.Browser;

    private Uri Service => fixture.Server.BaseAddress;

    [Theory]
    [InlineData("v0")]
    [InlineData("v1")]
    public async Task TheApiReferenceListsEachGenerationsOperations(string generation)
    {
        var document = JsonNode.Parse(await fixture.Server.Http.GetStringAsync($"{generation}/schema/openapi"))!;
        var create = Summary(document, $"/{generation}/workflows", "post");
        var pendingStarter = Summary(document, $"/{generation}/tms/pending-starter/taskforces", "get");
        var before = Browser.Mark();

        await Browser.NavigateAsync(new Uri(Service, $"docs/{generation}"));
        var shown = await Browser.WaitForTextAsync(create, pendingStarter, $"/{generation}/workflows");
        await SaveScreenshotAsync($"docs-{generation}");

        Assert.True(shown, $"/docs/{generation} did not show its operations; it shows:\n{await Browser.TextAsync()}");
        var other = generation == "v0" ? "/v1/" : "/v0/";
        Assert.DoesNotContain(other, await Browser.TextAsync(), StringComparison.Ordinal);
        AssertOnlyTheServiceWasAsked(before);
    }

    [Fact]
    public async Task TheApiReferenceOpensOnTodaysGeneration()
    {
        var before = Browser.Mark();

        await Browser.NavigateAsync(new Uri(Service, "docs/"));
        var shown = await Browser.WaitForTextAsync("EWMS Workflow Management Service", "/v1 (today's EWMS)", "/v1/workflows");
        await SaveScreenshotAsync("docs");

        Assert.True(shown, $"/docs/ did not show the /v1 reference; it shows:\n{await Browser.TextAsync()}");
        AssertOnlyTheServiceWasAsked(before);
        // Both generations' documents are offered; the page read them from the service, without a token.
        Assert.Contains(Browser.Requests.Skip(before.Requests), u => u.AbsolutePath == "/docs/openapi/v1.json");
    }

    [Fact]
    public async Task TheDashboardShowsTheClusterAndTheServicesGrains()
    {
        var silo = fixture.Server.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.Endpoint;
        var before = Browser.Mark();

        await Browser.NavigateAsync(new Uri(Service, "dashboard/"));
        var overview = await Browser.WaitForTextAsync("Total Activations", "Active Silos");
        await SaveScreenshotAsync("dashboard");
        Assert.True(overview, $"/dashboard/ did not show the cluster; it shows:\n{await Browser.TextAsync()}");

        // A workflow, so that the service's own grains are active beside the loops; just before the grains are
        // shown, since an idle workflow grain is collected after 30 s.
        using var created = await fixture.Server.Http.PostAsync("v0/workflows",
            new StringContent(ValidWorkflow.Body(), System.Text.Encoding.UTF8, "application/json"));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        await Browser.NavigateAsync(new Uri(Service, "dashboard/#/grains"));
        var grains = await Browser.WaitForTextAsync("WorkflowGrain", "MqActivatorGrain", "LaunchControlGrain");
        await SaveScreenshotAsync("dashboard-grains");
        Assert.True(grains, $"the dashboard did not list the service's grains; it shows:\n{await Browser.TextAsync()}");

        await Browser.NavigateAsync(new Uri(Service, "dashboard/#/silos"));
        var silos = await Browser.WaitForTextAsync($"{silo.Address}:{silo.Port}");
        await SaveScreenshotAsync("dashboard-silos");
        Assert.True(silos, $"the dashboard did not show the silo {silo}; it shows:\n{await Browser.TextAsync()}");

        AssertOnlyTheServiceWasAsked(before);
    }

    private static string Summary(JsonNode document, string path, string method) =>
        document["paths"]![path]![method]!["summary"]!.GetValue<string>();

    private async Task SaveScreenshotAsync(string name)
    {
        var path = BrowserFixture.ScreenshotPath(name);
        await Browser.ScreenshotAsync(path);
        output.WriteLine($"screenshot: {path}");
    }

    /// <summary>
    /// Since <paramref name="before"/>, the page asked the service alone for everything (no CDN, no font host, no
    /// telemetry), and reported no error: nothing it tried to load was refused or failed.
    /// </summary>
    private void AssertOnlyTheServiceWasAsked(HeadlessChromium.Position before)
    {
        var requests = Browser.Requests.Skip(before.Requests).ToList();
        Assert.NotEmpty(requests);
        var elsewhere = requests
            .Where(u => u.Scheme is not ("data" or "blob") && u.Authority != Service.Authority)
            .ToList();
        Assert.True(elsewhere.Count == 0, "the page asked other hosts: " + string.Join(", ", elsewhere));
        var errors = Browser.Errors.Skip(before.Errors).ToList();
        Assert.True(errors.Count == 0, "the page reported errors:\n" + string.Join("\n", errors));
    }
}
