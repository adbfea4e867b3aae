using Wms.Api.Tests.Infrastructure;
using Wms.Api.Tests.Lifecycle;
using Wms.Testing;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.V1;

/// <summary>
/// The embedded MQS, as a one-box service runs it, describes its queues as the real one does: today's TMS reads each
/// profile's <c>timestamp</c> as a number, and the schema checks of the answers hold.
/// </summary>
public sealed class EmbeddedMqsV1Tests : IAsyncLifetime
{
    private WmsServer _server = null!;
    private UserClient _user = null!;

    public async Task InitializeAsync()
    {
        _server = await WmsServer.StartAsync(s => s.Remove("MQS_ADDRESS"));
        _user = new UserClient(_server.Http, V1Schema.Shared);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task PendingStarterAndPublicProfilesCarryANumericTimestamp()
    {
        var request = Workflow([V1Flow.Task([Alpha], ["in"], ["out"])], publicAliases: ["in"]);
        var created = (await _user.PostAsync("v1/workflows", request)).Object;
        var uuid = TaskforceUuids(created).Single();
        Assert.True(await Poll.UntilAsync(async () =>
            PhaseOf((await _user.GetAsync($"v1/taskforces/{uuid}")).Object) == PendingStarter, LifecycleHost.Deadline));

        var offer = (await _user.GetAsync($"v1/tms/pending-starter/taskforces?schedd={WmsServer.AlphaSchedd}")).Object;
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var profiles = offer["mqprofiles"]!.AsArray();
        Assert.Equal(2, profiles.Count);
        Assert.All(profiles, p => Assert.InRange(p!["timestamp"]!.GetValue<double>(), before - 600, before + 1));

        var publicProfiles = (await _user.GetAsync($"v1/mqs/workflows/{WorkflowId(created)}/mq-profiles/public")).Object["mqprofiles"]!.AsArray();
        var only = Assert.Single(publicProfiles);
        Assert.InRange(only!["timestamp"]!.GetValue<double>(), before - 600, before + 1);
    }
}
