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

    [Fact]
    public async Task JsonIsReadWhateverItsContentTypeSays()
    {
        await using var server = await WmsServer.StartAsync();
        using var unlabelled = new ByteArrayContent("{\"query\": {}}"u8.ToArray());
        var response = await server.Http.PostAsync("v0/query/workflows", unlabelled);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"workflows\":[]}", await response.Content.ReadAsStringAsync());

        using var plain = new StringContent("{}", System.Text.Encoding.UTF8, "text/plain");
        var abort = await server.Http.PostAsync("v0/workflows/WF-1-00000000/actions/abort", plain);
        Assert.Equal(HttpStatusCode.NotFound, abort.StatusCode);
    }
}
