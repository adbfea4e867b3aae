using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Wms.Testing;

namespace Wms.Durability.Tests.Faults;

/// <summary>
/// The service as a process on PostgreSQL, with a fake MQS, through the faults production throws at it. After each,
/// <see cref="Recovered"/> checks that every answered workflow is whole, launched, reserved once and activated once,
/// and that nothing is orphaned.
/// </summary>
public sealed class FaultSuiteTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task ADatabaseOutageUnderLoadLosesNothingAndDoublesNothing()
    {
        var server = await PostgresServer.SharedAsync();
        var database = await server.CreateDatabaseAsync();
        var name = new NpgsqlConnectionStringBuilder(database).Database!;
        await using var mqs = await FakeMqs.StartAsync();
        await using var silo = new SiloProcess(database, new Dictionary<string, string> { ["MQS_ADDRESS"] = mqs.BaseAddress.ToString() });
        await silo.StartAsync();
        var submitter = new Submitter(silo.Http);

        var load = submitter.SubmitAsync(60, 4, Deadline);
        Assert.True(await Poll.UntilAsync(() => submitter.Answered.Count >= 10, Deadline), silo.Output);
        await Admin.SqlAsync(server, $"""ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false""");
        try
        {
            await Admin.SqlAsync(server, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'");
            // The outage lasts until the clients have met it.
            Assert.True(await Poll.UntilAsync(() => submitter.Refusals >= 4, Deadline), silo.Output);
        }
        finally
        {
            await Admin.SqlAsync(server, $"""ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true""");
        }
        await load;

        Assert.Equal(60, submitter.Answered.Count);
        // A granted activation whose answer could not be stored (the database went away under it) is asked again:
        // the one case where a second activation is right.
        await Recovered.AssertAllCompleteAsync(silo.Http, submitter.Answered, mqs, Deadline, silo.Output, maxGrants: 2);
    }

    public static TheoryData<string> MqsFaults =>
        ["500", "hang", "disconnect", "cut short", "invalid JSON", "an array", "empty profiles", "a queue missing"];

    private static ActivationOutcome Fault(string kind) => kind switch
    {
        "500" => ActivationOutcome.Error(500),
        "hang" => ActivationOutcome.Hang(TimeSpan.FromSeconds(5)),
        "disconnect" => ActivationOutcome.Disconnect,
        "cut short" => ActivationOutcome.CutShort,
        "invalid JSON" => ActivationOutcome.Raw("{\"mqprofiles\": [tru"),
        "an array" => ActivationOutcome.Raw("[]"),
        "empty profiles" => ActivationOutcome.Raw("{\"mqgroup\": {}, \"mqprofiles\": []}"),
        _ => ActivationOutcome.GrantAnswering(answer =>
        {
            answer["mqprofiles"]!.AsArray().RemoveAt(0);
            return answer;
        }),
    };

    [Theory]
    [MemberData(nameof(MqsFaults))]
    public async Task EachWayTheMqsFailsIsBackedOffAndTheNextProperAnswerActivates(string kind)
    {
        var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        await using var mqs = await FakeMqs.StartAsync();
        // Each workflow's first two activations fail this way; the third is answered properly.
        mqs.ActivationPolicy = request => request.AttemptForWorkflow <= 2 ? Fault(kind) : ActivationOutcome.Grant;
        await using var silo = new SiloProcess(database, new Dictionary<string, string>
        {
            ["MQS_ADDRESS"] = mqs.BaseAddress.ToString(),
            ["MQS_REQUEST_TIMEOUT"] = "1",
        });
        await silo.StartAsync();
        var submitter = new Submitter(silo.Http);

        await submitter.SubmitAsync(4, 2, Deadline);

        // Only "a queue missing" granted before it answered wrongly: the one fault that loses a granted answer.
        await Recovered.AssertAllCompleteAsync(silo.Http, submitter.Answered, mqs, Deadline, silo.Output,
            maxGrants: kind == "a queue missing" ? 3 : 1);
        Assert.All(submitter.Answered, id => Assert.True(mqs.Activations.Count(a => a.WorkflowId == id) >= 3));
    }

    [Fact]
    public async Task AFailingFewNeverHoldUpHealthyWork()
    {
        var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        await using var mqs = await FakeMqs.StartAsync();
        // The MQS fails every workflow of priority 77, whatever it is asked.
        mqs.ActivationPolicy = request => request.Priority == 77 ? ActivationOutcome.Error(500) : ActivationOutcome.Grant;
        await using var silo = new SiloProcess(database, new Dictionary<string, string>
        {
            ["MQS_ADDRESS"] = mqs.BaseAddress.ToString(),
            ["WORKFLOW_MQ_ACTIVATOR_DELAY"] = "1",
        });
        await silo.StartAsync();

        var failing = new List<string>();
        for (var n = 0; n < 20; n++)
        {
            var request = WorkflowShapes.Request(n);
            request["priority"] = 77;
            failing.Add(await CreateAsync(silo, request));
        }
        Assert.True(await Poll.UntilAsync(() => failing.All(id => mqs.Activations.Any(a => a.WorkflowId == id)), Deadline), silo.Output);
        var healthy = new Submitter(silo.Http);
        await healthy.SubmitAsync(20, 2, Deadline);

        await Recovered.AssertAllCompleteAsync(silo.Http, healthy.Answered, mqs, Deadline, silo.Output);
        foreach (var id in failing)
        {
            var workflow = (await silo.Http.GetFromJsonAsync<JsonObject>($"v0/workflows/{id}"))!;
            Assert.Null(workflow["mq_activated_ts"]);
            Assert.NotNull(workflow["_mq_activation_retry_at_ts"]);
        }
    }

    [Fact]
    public async Task KillingTheSiloThatHoldsTheLoopsWhileActivationsWaitAtTheMqsLosesNothing()
    {
        var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        await using var mqs = await FakeMqs.StartAsync();
        var holding = 1;
        // Activations hang at the MQS until the test lets go; a hung one then answers 503 and activates nothing.
        mqs.ActivationPolicy = _ => Volatile.Read(ref holding) == 1 ? ActivationOutcome.Hang(TimeSpan.FromSeconds(30)) : ActivationOutcome.Grant;
        var settings = new Dictionary<string, string> { ["MQS_ADDRESS"] = mqs.BaseAddress.ToString(), ["MQS_REQUEST_TIMEOUT"] = "60" };
        await using var first = new SiloProcess(database, settings);
        await using var second = new SiloProcess(database, settings);
        // The first silo to start takes the background loops (each silo kicks them at start; the second finds them
        // already active on the first).
        await first.StartAsync();
        await second.StartAsync();

        var submitter = new Submitter(second.Http);
        await submitter.SubmitAsync(8, 2, Deadline);
        Assert.True(await Poll.UntilAsync(() => mqs.Activations.Count >= 1, Deadline), first.Output);
        await first.KillAsync();
        Volatile.Write(ref holding, 0);

        await Recovered.AssertAllCompleteAsync(second.Http, submitter.Answered, mqs, Deadline, second.Output);
    }

    private static async Task<string> CreateAsync(SiloProcess silo, JsonObject request)
    {
        using var response = await silo.Http.PostAsJsonAsync("v0/workflows", request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["workflow"]!["workflow_id"]!.GetValue<string>();
    }
}
