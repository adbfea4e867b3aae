using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using Wms.Api.Auth;
using Wms.Api.Tests.Auth;
using Wms.Api.Tests.BadInput;
using Wms.Api.Tests.Infrastructure;
using Wms.Silo.Operations;
using Wms.Testing;

namespace Wms.Api.Tests.Pages;

/// <summary>
/// <c>/dashboard</c> over plain HTTP: there only with <c>WMS_DASHBOARD=true</c>; then the page, its assets and its
/// data answer, all from the service; with authentication on, every one of its endpoints admits users alone; and it
/// times grain calls only once someone looks.
/// </summary>
public sealed partial class DashboardPageTests
{
    /// <summary>The page and what it loads and polls, all of which must answer a user.</summary>
    private static readonly string[] Served =
    [
        "dashboard/", "dashboard/index.html", "dashboard/index.min.js", "dashboard/index.css", "dashboard/favicon.ico",
        "dashboard/fonts/fa-solid-900.woff2", "dashboard/img/OrleansLogo.png", "dashboard/version",
        "dashboard/DashboardCounters", "dashboard/ClusterStats", "dashboard/TopGrainMethods", "dashboard/GrainTypes",
    ];

    [Fact]
    public async Task WithoutWmsDashboardNothingIsThere()
    {
        await using var server = await WmsServer.StartAsync();

        foreach (var path in new[] { "dashboard", "dashboard/", "dashboard/index.min.js", "dashboard/DashboardCounters" })
        {
            using var response = await server.Http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} answered {(int)response.StatusCode}");
        }
        // Not registered at all: no grain call filter of the dashboard's sits in front of every call.
        Assert.DoesNotContain(server.Services.GetServices<IIncomingGrainCallFilter>(),
            f => f.GetType().Assembly == typeof(DashboardOptions).Assembly);
    }

    [Fact]
    public async Task ThePageItsAssetsAndItsDataAnswer()
    {
        await using var server = await WmsServer.StartAsync(s => s["WMS_DASHBOARD"] = "true");

        foreach (var path in Served)
        {
            using var response = await server.Http.GetAsync(path);
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}");
            Assert.NotEmpty(body);
        }
        var html = await server.Http.GetStringAsync("dashboard/");
        var css = await server.Http.GetStringAsync("dashboard/index.css");
        // What the page and its stylesheet name is there, with their relative addresses resolved as a browser does.
        var page = new Uri(server.BaseAddress, "dashboard/");
        foreach (var asset in PageText.Assets(html))
        {
            using var response = await server.Http.GetAsync(new Uri(page, asset));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset} answered {(int)response.StatusCode}");
        }
        var fonts = PageText.StylesheetAssets(css);
        Assert.NotEmpty(fonts);
        foreach (var font in fonts)
        {
            using var response = await server.Http.GetAsync(new Uri(new Uri(page, "index.css"), font));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{font} answered {(int)response.StatusCode}");
        }
        // The data: the silo counts as soon as the dashboard's statistics are first sampled.
        JsonNode? counters = null;
        Assert.True(await Poll.UntilAsync(async () =>
        {
            counters = JsonNode.Parse(await server.Http.GetStringAsync("dashboard/DashboardCounters"));
            return counters!["totalActiveHostCount"]!.GetValue<int>() == 1;
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500)), $"the dashboard counts no silo: {counters}");
    }

    [Fact]
    public async Task TheDashboardRedirectsToItsPage()
    {
        await using var server = await WmsServer.StartAsync(s => s["WMS_DASHBOARD"] = "true");
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false })
        {
            BaseAddress = server.BaseAddress,
        };

        // The page's assets are relative to it, so it must be read with its trailing slash.
        using var response = await http.GetAsync("dashboard");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/dashboard/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task EverythingThePageLoadsComesFromTheService()
    {
        await using var server = await WmsServer.StartAsync(s => s["WMS_DASHBOARD"] = "true");

        var html = await server.Http.GetStringAsync("dashboard/");
        var css = await server.Http.GetStringAsync("dashboard/index.css");
        var script = await server.Http.GetStringAsync("dashboard/index.min.js");

        Assert.Empty(PageText.ExternalAddresses(html, server.BaseAddress));
        Assert.Empty(PageText.ExternalAddresses(css, server.BaseAddress));
        // The bundle's libraries carry links to their documentation, but load nothing from elsewhere.
        Assert.Empty(PageText.ExternalLoads(script, server.BaseAddress));
        using var response = await server.Http.GetAsync("dashboard/");
        Assert.Contains("connect-src 'self'", string.Join(";", response.Headers.GetValues("Content-Security-Policy")),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAuthenticationOnlyUsersGetIn()
    {
        var minter = TokenMinter.Symmetric();
        await using var server = await WmsServer.StartAsync(s =>
        {
            minter.Configure(s);
            s["WMS_DASHBOARD"] = "true";
        });
        var endpoints = AppEndpoint.Of(server.Services)
            .Where(e => e.Pattern.StartsWith(OrleansDashboard.Prefix, StringComparison.Ordinal))
            .ToList();
        Assert.True(endpoints.Count >= 15, $"only {endpoints.Count} dashboard endpoints found");

        foreach (var endpoint in endpoints)
        {
            Assert.Equal([WmsRole.User], endpoint.Roles?.Roles.ToArray());
            // Any value reaches the role check, which comes before the dashboard's own handler.
            var path = RouteValue().Replace(endpoint.Pattern.TrimStart('/'), "1");
            using var anonymous = await server.Http.GetAsync(path);
            Assert.Null(Answers.ContractErrorProblem(anonymous, await anonymous.Content.ReadAsStringAsync(),
                StatusCodes.Status403Forbidden, WmsAuthentication.AuthenticationFailed));
            using var tms = await GetAsync(server, path, minter.Tms());
            Assert.Null(Answers.ContractErrorProblem(tms, await tms.Content.ReadAsStringAsync(),
                StatusCodes.Status403Forbidden, WmsAuthentication.AuthorizationFailed));
        }
        foreach (var path in Served)
        {
            using var user = await GetAsync(server, path, minter.User());
            Assert.True(user.StatusCode == HttpStatusCode.OK, $"{path} answered a user {(int)user.StatusCode}");
        }
    }

    [Fact]
    public async Task GrainCallsAreTimedOnlyOnceSomeoneLooks()
    {
        await using var server = await WmsServer.StartAsync(s => s["WMS_DASHBOARD"] = "true");
        Assert.Contains(server.Services.GetServices<IIncomingGrainCallFilter>(),
            f => f.GetType().Assembly == typeof(DashboardOptions).Assembly);
        Assert.False(server.Services.GetRequiredService<IOptions<GrainProfilerOptions>>().Value.TraceAlways);
        const string workflowGrain = "dashboard/GrainStats/Wms.Grains.WorkflowGrain";

        // The service works (a workflow is created, the loops run) while nobody looks: no call is timed.
        await CreateWorkflowAsync(server);
        var before = JsonNode.Parse(await server.Http.GetStringAsync(workflowGrain))!.AsObject();
        Assert.Empty(before);

        // That first look turns timing on; calls from then on show on the dashboard.
        JsonObject? after = null;
        var timed = await Poll.UntilAsync(async () =>
        {
            await CreateWorkflowAsync(server);
            after = JsonNode.Parse(await server.Http.GetStringAsync(workflowGrain))!.AsObject();
            return after.Any(m => m.Key.EndsWith(".CreateAsync", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500));
        Assert.True(timed, $"the dashboard was looked at, but workflow creations are not timed: {after}");
    }

    [Fact]
    public async Task TheLiveLogStreamIsOffAndStatisticsAreSampledEveryFiveSeconds()
    {
        await using var server = await WmsServer.StartAsync(s => s["WMS_DASHBOARD"] = "true");

        var options = server.Services.GetRequiredService<IOptions<DashboardOptions>>().Value;
        Assert.True(options.HideTrace);
        Assert.Equal(5000, options.CounterUpdateIntervalMs);
        using var trace = await server.Http.GetAsync("dashboard/Trace");
        Assert.Equal(HttpStatusCode.Forbidden, trace.StatusCode);
    }

    [Fact]
    public async Task TheOpenApiDocumentsStayAsTheyAre()
    {
        await using var server = await WmsServer.StartAsync(s => s["WMS_DASHBOARD"] = "true");

        foreach (var (generation, file) in new[] { ("v0", "openapi.json"), ("v1", "openapi-v1.json") })
        {
            var served = JsonNode.Parse(await server.Http.GetStringAsync($"{generation}/schema/openapi"));
            var pinned = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryFiles.PathOf("Docs", file)));
            Assert.True(JsonNode.DeepEquals(pinned, served), $"the {generation} document changed with the dashboard on");
        }
    }

    private static async Task CreateWorkflowAsync(WmsServer server)
    {
        using var created = await server.Http.PostAsync("v0/workflows",
            new StringContent(ValidWorkflow.Body(), System.Text.Encoding.UTF8, "application/json"));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
    }

    private static async Task<HttpResponseMessage> GetAsync(WmsServer server, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await server.Http.SendAsync(request);
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteValue();
}
