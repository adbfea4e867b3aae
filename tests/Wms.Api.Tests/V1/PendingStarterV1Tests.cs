using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Wms.Api.Tests.Auth;
using Wms.Api.Tests.Infrastructure;
using Wms.Api.Tests.Lifecycle;
using Wms.Testing;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.V1;

/// <summary>
/// The /v1 pending-starter's queue profiles: live tokens from the MQS without a round trip per poll, and an MQS
/// outage answered with <c>{}</c> and a log line, since today's TMS stops on any error status.
/// </summary>
public sealed class PendingStarterV1Tests : IAsyncLifetime
{
    private FakeMqs _mqs = null!;
    private LoggedHost _host = null!;
    private UserClient _user = null!;

    public async Task InitializeAsync()
    {
        _mqs = await FakeMqs.StartAsync();
        _host = await LoggedHost.StartAsync(s => s["MQS_ADDRESS"] = _mqs.BaseAddress.ToString());
        _user = new UserClient(_host.Http, V1Schema.Shared);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _mqs.DisposeAsync();
    }

    private async Task<(string WorkflowId, string Uuid)> StartableAsync(JsonObject request)
    {
        var created = (await _user.PostAsync("v1/workflows", request)).Object;
        var uuid = TaskforceUuids(created).Single();
        Assert.True(await Poll.UntilAsync(async () =>
            PhaseOf((await _user.GetAsync($"v1/taskforces/{uuid}")).Object) == PendingStarter, LifecycleHost.Deadline));
        return (WorkflowId(created), uuid);
    }

    private Task<ApiAnswer> PollAsync() =>
        _user.GetAsync($"v1/tms/pending-starter/taskforces?schedd={WmsServer.AlphaSchedd}");

    [Fact]
    public async Task ManyPollsCostTheMqsOneCallAndGetLiveTokens()
    {
        var (workflowId, uuid) = await StartableAsync(V1Flow.SimpleWorkflow(Alpha));
        var activationsBefore = _mqs.Activations.Count;
        for (var i = 0; i < 30; i++)
        {
            var offer = (await PollAsync()).Object;
            Assert.Equal(uuid, offer["taskforce"]!["taskforce_uuid"]!.GetValue<string>());
            var profiles = offer["mqprofiles"]!.AsArray();
            Assert.Equal(["in", "out"], profiles.Select(p => p!["alias"]!.GetValue<string>()).Order());
            Assert.All(profiles, p => Assert.False(string.IsNullOrEmpty(p!["auth_token"]!.GetValue<string>())));
            Assert.All(profiles, p => Assert.Equal(workflowId, p!["workflow_id"]!.GetValue<string>()));
        }
        // The profiles come from one fetch (an activation, which mints fresh tokens), not one per poll or queue.
        Assert.InRange(_mqs.Activations.Count - activationsBefore, 0, 1);
        Assert.Empty(_mqs.ProfileReads);
        // A collector, which today's TMS no longer sends, is allowed and ignored.
        var withCollector = await _user.GetAsync(
            $"v1/tms/pending-starter/taskforces?schedd={WmsServer.AlphaSchedd}&collector=elsewhere");
        Assert.Equal(uuid, withCollector.Object["taskforce"]!["taskforce_uuid"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnMqsOutageAnswersAnEmptyObjectAndSaysWhy()
    {
        var (workflowId, uuid) = await StartableAsync(V1Flow.SimpleWorkflow(Alpha));
        _mqs.ActivationPolicy = _ => ActivationOutcome.Error(500);

        var answer = await PollAsync();
        Assert.Equal(200, answer.Status);
        AssertJson(new JsonObject(), answer.Body);
        Assert.Contains(_host.Logs.Lines, l => l.Level >= LogLevel.Warning && l.Message.Contains(workflowId, StringComparison.Ordinal));

        // Once the MQS answers again, so does the poll.
        _mqs.ActivationPolicy = _ => ActivationOutcome.Grant;
        JsonObject? offer = null;
        Assert.True(await Poll.UntilAsync(async () =>
        {
            offer = (await PollAsync()).Object;
            return offer.ContainsKey("taskforce");
        }, TimeSpan.FromSeconds(30)));
        Assert.Equal(uuid, offer!["taskforce"]!["taskforce_uuid"]!.GetValue<string>());
    }

    [Fact]
    public async Task AWorkflowWithoutQueuesIsOfferedWithNoProfiles()
    {
        var (_, uuid) = await StartableAsync(Workflow([V1Flow.Task([Alpha], [], [])]));
        var offer = (await PollAsync()).Object;
        Assert.Equal(uuid, offer["taskforce"]!["taskforce_uuid"]!.GetValue<string>());
        AssertJson(new JsonArray(), offer["mqprofiles"]);
    }

    [Theory]
    [InlineData("v1/tms/pending-starter/taskforces")]
    [InlineData("v1/tms/pending-starter/taskforces?collector=C")]
    [InlineData("v1/tms/pending-stopper/taskforces")]
    public async Task APollWithoutAScheddIsRefused(string path) =>
        (await _user.GetAsync(path)).AssertError(400, "the query argument 'schedd' is required, once");

    [Fact]
    public async Task NothingToStartIsAnEmptyObject() =>
        AssertJson(new JsonObject(), (await PollAsync()).Body);
}
