using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Wms.Api.Tests.Infrastructure;
using Wms.Testing;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.Health;

/// <summary>
/// A stop as a signal starts it: readiness answers 503 at once while the silo goes on serving for the drain; then the
/// web server stops listening, and a request already in flight is still answered, by the silo, before it leaves.
/// </summary>
public sealed class ShutdownTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task DuringTheDrainReadinessAnswers503AndTheSiloStillServes()
    {
        await using var server = await WmsServer.StartAsync(s => s["WMS_SHUTDOWN_DRAIN"] = "5");
        Assert.Equal(200, (await HealthAnswer.GetAsync(server.Http, "readyz")).Code);
        var clock = Stopwatch.StartNew();

        var stop = server.StopAsync();

        HealthAnswer? ready = null;
        Assert.True(await Poll.UntilAsync(async () => (ready = await HealthAnswer.GetAsync(server.Http, "readyz")).Code == 503,
            TimeSpan.FromSeconds(2)), ready?.ToString());
        Assert.Equal("Unhealthy", ready!.Status);
        Assert.Equal("this silo is shutting down", ready.Check("silo")["description"]!.GetValue<string>());
        Assert.Equal(200, (await HealthAnswer.GetAsync(server.Http, "healthz")).Code);
        // Still a whole silo: a submission goes through its grains and the index, and reads back.
        using var created = await server.Http.PostAsJsonAsync("v0/workflows", SimpleWorkflow(Alpha));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var workflowId = WorkflowId(JsonNode.Parse(await created.Content.ReadAsStringAsync())!.AsObject());
        using (var read = await server.Http.GetAsync($"v0/workflows/{workflowId}"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }
        Assert.False(stop.IsCompleted, "the stop did not wait for the drain");

        await stop.WaitAsync(Deadline);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(4.9), $"the stop took {clock.Elapsed}, less than the drain");
        await Assert.ThrowsAsync<HttpRequestException>(() => server.Http.GetAsync("healthz"));
    }

    [Fact]
    public async Task ARequestInFlightWhenTheServerStopsListeningIsAnsweredBeforeTheSiloLeaves()
    {
        await using var mqs = await GatedMqs.StartAsync();
        await using var server = await WmsServer.StartAsync(s =>
        {
            s["MQS_ADDRESS"] = mqs.BaseAddress.ToString();
            // The reservation waits at the gate for as long as the test needs; it must not time out meanwhile.
            s["MQS_REQUEST_TIMEOUT"] = "60";
            s["WMS_SHUTDOWN_DRAIN"] = "0.2";
        });
        var submission = server.Http.PostAsJsonAsync("v0/workflows", SimpleWorkflow(Alpha));
        // The submission is inside its workflow grain, waiting for the MQS's reservation.
        await mqs.ReservationWaits.WaitAsync(Deadline);

        var stop = server.StopAsync();

        Assert.True(await Poll.UntilAsync(() => !Listens(server.BaseAddress.Port), Deadline), "the server never stopped listening");
        Assert.False(submission.IsCompleted, "the submission was cut short");
        Assert.False(stop.IsCompleted, "the host stopped with a request in flight");
        mqs.Open();
        using var answer = await submission.WaitAsync(Deadline);
        var text = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{(int)answer.StatusCode}: {text}");
        Assert.StartsWith("WF-", WorkflowId(JsonNode.Parse(text)!.AsObject()), StringComparison.Ordinal);
        await stop.WaitAsync(Deadline);
    }

    [Fact]
    public async Task TheWholeStopIsBoundedByWmsShutdownTimeout()
    {
        var settings = WmsServer.DefaultSettings();
        settings["WMS_SHUTDOWN_TIMEOUT"] = "7.5";
        await using var app = await WmsServer.BuildAsync(settings);

        Assert.Equal(TimeSpan.FromSeconds(7.5), app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    private static bool Listens(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
