using System.Net;
using Microsoft.AspNetCore.Http;
using Wms.Api.Tests.Auth;
using Wms.Api.Tests.Infrastructure;

namespace Wms.Api.Tests.Pages;

/// <summary>
/// <c>/docs</c> over plain HTTP: the page, its scripts and the two generations' documents answer without a token,
/// everything comes from the service, the documents are the served schemas byte for byte, and
/// <c>WMS_API_DOCS=false</c> takes it all away.
/// </summary>
public sealed class ApiReferencePageTests
{
    private static readonly string[] Pages = ["docs/", "docs/v0", "docs/v1"];

    [Fact]
    public async Task ThePageItsScriptsAndDocumentsAnswerWithoutAToken()
    {
        // Authentication on, as in production: the reference is still open to anyone.
        var minter = TokenMinter.Symmetric();
        await using var server = await WmsServer.StartAsync(minter.Configure);

        foreach (var page in Pages)
        {
            var html = await GetOkAsync(server, page, "text/html");
            foreach (var asset in PageText.Assets(html))
            {
                await GetOkAsync(server, new Uri(new Uri(server.BaseAddress, page), asset), "text/javascript");
            }
        }
        foreach (var generation in new[] { "v0", "v1" })
        {
            await GetOkAsync(server, $"docs/openapi/{generation}.json", "application/json");
        }
        // The schema routes of the API itself still want a token.
        using var schema = await server.Http.GetAsync("v0/schema/openapi");
        Assert.Equal(HttpStatusCode.Forbidden, schema.StatusCode);
    }

    [Theory]
    [InlineData("v0")]
    [InlineData("v1")]
    public async Task EachGenerationsDocumentIsTheServedSchemaByteForByte(string generation)
    {
        await using var server = await WmsServer.StartAsync();

        var schema = await server.Http.GetByteArrayAsync($"{generation}/schema/openapi");
        var reference = await server.Http.GetByteArrayAsync($"docs/openapi/{generation}.json");

        Assert.Equal(schema, reference);
    }

    [Fact]
    public async Task EverythingThePageLoadsComesFromTheService()
    {
        await using var server = await WmsServer.StartAsync();

        foreach (var page in Pages)
        {
            var html = await server.Http.GetStringAsync(page);
            Assert.Empty(PageText.ExternalAddresses(html, server.BaseAddress));
            // The options that would reach Scalar's hosts are off, in the configuration the page starts with.
            foreach (var off in new[]
            {
                "\"withDefaultFonts\":false", "\"telemetry\":false", "\"agent\":{\"disabled\":true}",
                "\"mcp\":{\"disabled\":true}", "\"showDeveloperTools\":\"never\"",
            })
            {
                Assert.Contains(off, html, StringComparison.Ordinal);
            }
            foreach (var asset in PageText.Assets(html))
            {
                var script = await server.Http.GetStringAsync(new Uri(new Uri(server.BaseAddress, page), asset));
                // The bundle carries the stylesheet of Scalar's default fonts, from its font host; withDefaultFonts
                // false leaves it unused (the browser test sees no request for it). Any other host is a failure.
                var loads = PageText.ExternalLoads(script, server.BaseAddress)
                    .Where(a => !a.StartsWith("https://fonts.scalar.com/", StringComparison.Ordinal));
                Assert.Empty(loads);
            }
        }
    }

    [Fact]
    public async Task ThePageRunsOnlyScriptsFromTheServiceAndItsOwnStartUp()
    {
        await using var server = await WmsServer.StartAsync();

        using var response = await server.Http.GetAsync("docs/");
        var html = await response.Content.ReadAsStringAsync();
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));

        // The inline start-up script carries a nonce, new for each answer, which the policy admits; nothing else
        // inline runs, and nothing from another origin at all.
        var nonce = System.Text.RegularExpressions.Regex.Match(html, "nonce=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(nonce);
        var directives = policy.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0]);
        Assert.Equal($"script-src 'self' 'nonce-{nonce}'", directives["script-src"]);
        Assert.Equal("default-src 'none'", directives["default-src"]);
        Assert.Equal("connect-src 'self'", directives["connect-src"]);
        Assert.NotEqual(html, await server.Http.GetStringAsync("docs/"));
    }

    [Fact]
    public async Task DocsRedirectsToThePageAndUnknownGenerationsAreNotFound()
    {
        await using var server = await WmsServer.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false })
        {
            BaseAddress = server.BaseAddress,
        };

        using var redirect = await http.GetAsync("docs");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal(new Uri(server.BaseAddress, "docs/"), new Uri(redirect.RequestMessage!.RequestUri!, redirect.Headers.Location!));

        foreach (var path in new[] { "docs/v2", "docs/openapi/v2.json", "docs/openapi/openapi.json" })
        {
            using var response = await http.GetAsync(path);
            var text = await response.Content.ReadAsStringAsync();
            Assert.Null(Answers.ContractErrorProblem(response, text, StatusCodes.Status404NotFound, null));
        }
    }

    [Fact]
    public async Task WmsApiDocsFalseServesNoneOfIt()
    {
        await using var server = await WmsServer.StartAsync(s => s["WMS_API_DOCS"] = "false");

        foreach (var path in new[] { "docs", "docs/", "docs/v1", "docs/openapi/v1.json", "docs/scalar.js" })
        {
            using var response = await server.Http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} answered {(int)response.StatusCode}");
        }
        // The API's own schema routes stay.
        using var schema = await server.Http.GetAsync("v1/schema/openapi");
        Assert.Equal(HttpStatusCode.OK, schema.StatusCode);
    }

    private static Task<string> GetOkAsync(WmsServer server, string path, string mediaType) =>
        GetOkAsync(server, new Uri(server.BaseAddress, path), mediaType);

    private static async Task<string> GetOkAsync(WmsServer server, Uri url, string mediaType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url.AbsolutePath} answered {(int)response.StatusCode}: {Answers.Clip(text)}");
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(text);
        return text;
    }
}
