using System.Net;
using Wms.Api.Tests.Infrastructure;

namespace Wms.Api.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task RootAnswersAnEmptyObject()
    {
        await using var server = await WmsServer.StartAsync();
        var response = await server.Http.GetAsync("v0/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
    }
}
