using System.Net;
using Wms.Api.Tests.Auth;
using Wms.Api.Tests.Infrastructure;
using Wms.Testing;

namespace Wms.Api.Tests.Health;

/// <summary>
/// <c>/healthz</c> (the process serves) and <c>/readyz</c> (this silo may be sent requests) in each state a running
/// host can be in: active, its database gone, its MQS gone; without a token even when authentication is on.
/// </summary>
public sealed class HealthEndpointTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task AnActiveSiloIsLiveAndReadyAndEachCheckIsNamed()
    {
        await using var server = await WmsServer.StartAsync();

        var live = await HealthAnswer.GetAsync(server.Http, "healthz");
        Assert.Equal(200, live.Code);
        Assert.Equal("Healthy", live.Status);
        // Liveness checks nothing the process depends on: a dependency down must not get the process restarted.
        Assert.Empty(live.Checks);

        var ready = await HealthAnswer.GetAsync(server.Http, "readyz");
        Assert.True(ready.Code == 200, ready.ToString());
        Assert.Equal("Healthy", ready.Status);
        Assert.Equal(["mqs", "silo"], ready.Checks.Select(c => c.Key).Order());
        foreach (var (name, check) in ready.Checks)
        {
            Assert.Equal("Healthy", check!["status"]!.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(check["description"]?.GetValue<string>()), name);
            Assert.True(check["duration_ms"]!.GetValue<double>() >= 0, name);
        }
        var silo = ready.Check("silo");
        Assert.Equal("Active", silo["data"]!["membership"]!.GetValue<string>());
        Assert.Equal(1, silo["data"]!["active_silos"]!.GetValue<int>());
        Assert.Contains("embedded", ready.Check("mqs")["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BothAnswerWithoutATokenWhenAuthenticationIsOn()
    {
        var minter = TokenMinter.Symmetric();
        await using var server = await WmsServer.StartAsync(minter.Configure);

        // Authentication is on: the API refuses a call without a token.
        using (var refused = await server.Http.GetAsync("v0/"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        Assert.Equal(200, (await HealthAnswer.GetAsync(server.Http, "healthz")).Code);
        var ready = await HealthAnswer.GetAsync(server.Http, "readyz");
        Assert.True(ready.Code == 200, ready.ToString());
    }

    [Fact]
    public async Task AnMqsThatAnswersIsHealthy()
    {
        await using var mqs = await FakeMqs.StartAsync();
        await using var server = await WmsServer.StartAsync(s => s["MQS_ADDRESS"] = mqs.BaseAddress.ToString());

        var ready = await HealthAnswer.GetAsync(server.Http, "readyz");

        Assert.True(ready.Code == 200 && ready.Status == "Healthy", ready.ToString());
        Assert.StartsWith($"the MQS at http://127.0.0.1:{mqs.BaseAddress.Port} answers",
            ready.Check("mqs")["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableMqsLeavesTheSiloReadyButDegraded()
    {
        // A port the OS just handed out and took back, which nothing of this process will listen on.
        var closed = FreePorts.Next();
        await using var server = await WmsServer.StartAsync(s => s["MQS_ADDRESS"] = $"http://127.0.0.1:{closed}/");

        var ready = await HealthAnswer.GetAsync(server.Http, "readyz");

        // Reads and TMS polls go on without the MQS; taking every silo out of rotation for it would stop them too.
        Assert.True(ready.Code == 200, ready.ToString());
        Assert.Equal("Degraded", ready.Status);
        var mqs = ready.Check("mqs");
        Assert.Equal("Degraded", mqs["status"]!.GetValue<string>());
        Assert.StartsWith($"the MQS at http://127.0.0.1:{closed} cannot be reached", mqs["description"]!.GetValue<string>(),
            StringComparison.Ordinal);
        Assert.Equal("Healthy", ready.Check("silo")["status"]!.GetValue<string>());
        Assert.Equal(200, (await HealthAnswer.GetAsync(server.Http, "healthz")).Code);
    }

    [Fact]
    public async Task OnPostgresTheDatabaseIsCheckedAndItsServerStoppingMakesTheSiloUnready()
    {
        await using var postgres = await PostgresServer.StartPrivateAsync();
        var database = await postgres.CreateDatabaseAsync("wms_health");
        await using var server = await WmsServer.StartAsync(StorageMode.Postgres, s =>
        {
            s["WMS_POSTGRES"] = database;
            // The silo cannot write its leaving to a database that is gone: its stop gives up soon.
            s["WMS_SHUTDOWN_TIMEOUT"] = "5";
        });

        var ready = await HealthAnswer.GetAsync(server.Http, "readyz");
        Assert.True(ready.Code == 200, ready.ToString());
        Assert.Equal(["database", "mqs", "silo"], ready.Checks.Select(c => c.Key).Order());
        Assert.Equal("PostgreSQL answers", ready.Check("database")["description"]!.GetValue<string>());

        await postgres.DisposeAsync();

        HealthAnswer? down = null;
        Assert.True(await Poll.UntilAsync(async () =>
        {
            down = await HealthAnswer.GetAsync(server.Http, "readyz");
            return down.Code == 503;
        }, Deadline), down?.ToString());
        Assert.Equal("Unhealthy", down!.Status);
        var check = down.Check("database");
        Assert.Equal("Unhealthy", check["status"]!.GetValue<string>());
        Assert.StartsWith("PostgreSQL d", check["description"]!.GetValue<string>(), StringComparison.Ordinal);
        // The process itself is fine: an orchestrator must not restart it for its database.
        Assert.Equal(200, (await HealthAnswer.GetAsync(server.Http, "healthz")).Code);
    }
}
