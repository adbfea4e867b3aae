using System.Net;
using System.Net.Http.Headers;
using Wms.Api.Tests.Auth;
using Wms.Api.Tests.Infrastructure;

namespace Wms.Api.Tests.Telemetry;

/// <summary>Who reaches <c>/metrics</c>, and what it serves besides the service's own instruments.</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task ServedByDefaultWithTheEcosystemsMeters()
    {
        await using var server = await WmsServer.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("v0/")).StatusCode);

        using var response = await server.Http.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var scrape = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
        // ASP.NET Core's request durations by route, Orleans', the runtime's and the service's own.
        Assert.Contains(scrape.Of("http_server_request_duration_seconds_count"), s => s.Labels.GetValueOrDefault("http_route") == "/v0/");
        Assert.Contains(scrape.Samples, s => s.Name.StartsWith("orleans_", StringComparison.Ordinal));
        Assert.Contains(scrape.Samples, s => s.Name.StartsWith("dotnet_gc_", StringComparison.Ordinal));
        Assert.Contains(scrape.Samples, s => s.Name == "wms_tms_poll_age_seconds");
        Assert.NotNull(scrape.Value("target_info", ("service_name", "wms")));
    }

    [Fact]
    public async Task TurnedOffAnswers404()
    {
        await using var server = await WmsServer.StartAsync(s => s["WMS_METRICS"] = "false");
        using var response = await server.Http.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("v0/")).StatusCode);
    }

    [Fact]
    public async Task PublicWhenAuthenticationIsOn()
    {
        var minter = TokenMinter.Symmetric();
        await using var server = await WmsServer.StartAsync(minter.Configure);

        // The API wants a token; the scrape does not, and ignores a bad one.
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Http.GetAsync("v0/taskforces/TF-x")).StatusCode);
        using var anonymous = await server.Http.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Contains("wms_tms_poll_age_seconds", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var badToken = new HttpRequestMessage(HttpMethod.Get, "metrics");
        badToken.Headers.Authorization = new AuthenticationHeaderValue("Bearer", minter.Expired());
        Assert.Equal(HttpStatusCode.OK, (await server.Http.SendAsync(badToken)).StatusCode);
    }
}
