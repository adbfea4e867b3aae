using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using Wms.Domain.Index;
using Wms.GrainInterfaces.Configuration;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Mqs;
using Wms.GrainInterfaces.Outcomes;
using Wms.GrainInterfaces.State;
using Wms.Grains.Hosting;
using Wms.Grains.Mqs;
using Wms.Grains.Tests.Support;

namespace Wms.Grains.Tests.Mqs;

/// <summary>
/// A silo on the embedded MQS, of v1 (the default) or of v0, with the services <c>AddWmsGrains</c> registers: the
/// live-profile source is the one the host gets.
/// </summary>
public abstract class EmbeddedMqsSilo : IAsyncLifetime
{
    private InProcessTestCluster? _cluster;

    public IClusterClient Client => _cluster?.Client ?? throw new InvalidOperationException("cluster not deployed");

    public IServiceProvider Services =>
        (_cluster ?? throw new InvalidOperationException("cluster not deployed")).Silos[0].ServiceProvider;

    public IMqProfileSource Source => Services.GetRequiredService<IMqProfileSource>();

    protected abstract string Version { get; }

    /// <summary>Renewal margin; past a day, every token the embedded MQS minted is due at once.</summary>
    protected abstract TimeSpan Margin { get; }

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddWmsGrains();
            silo.AddMemoryGrainStorage(StorageNames.GrainStorage);
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton<IObjectIndex>(new RecordingObjectIndex());
            // The loops stay out of the way: the test activates the workflow itself.
            silo.Services.Configure<WmsOptions>(o => o.MqActivatorDelay = TimeSpan.FromHours(1));
            silo.Services.Configure<MqsOptions>(o =>
            {
                o.ApiVersion = Version;
                o.ProfileRenewalMargin = Margin;
            });
            silo.Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

public sealed class EmbeddedV1Silo : EmbeddedMqsSilo
{
    protected override string Version => MqsOptions.V1;

    protected override TimeSpan Margin => TimeSpan.FromHours(1);
}

public sealed class EmbeddedV1SiloRenewingAtOnce : EmbeddedMqsSilo
{
    protected override string Version => MqsOptions.V1;

    protected override TimeSpan Margin => TimeSpan.FromHours(25);
}

public sealed class EmbeddedV0Silo : EmbeddedMqsSilo
{
    protected override string Version => MqsOptions.V0;

    protected override TimeSpan Margin => TimeSpan.FromHours(25);
}

internal static class EmbeddedWorkflows
{
    /// <summary>A workflow created and activated on the embedded MQS; its granted profiles.</summary>
    public static async Task<(string Id, List<Domain.Model.MqProfile> Granted)> ActivatedAsync(IClusterClient client)
    {
        var id = Build.WorkflowId();
        var grain = client.GetGrain<IWorkflowGrain>(id);
        await grain.CreateNewAsync(Build.Workflow(Build.Task([Build.Alpha], inputs: ["in-q"], outputs: ["out-q"])));
        // The activation loop, kicked by the creation, may have come first.
        Assert.Contains((await grain.ActivateMqAsync()).Kind, new[] { ActivationKind.Activated, ActivationKind.NothingToDo });
        var granted = await grain.GetMqProfilesAsync();
        Assert.All(granted, p => Assert.True(p.IsActivated));
        return (id, granted);
    }
}

/// <summary>On the embedded MQS of v1, the live profiles are what the workflow was granted while its tokens last.</summary>
public sealed class EmbeddedV1ProfileSourceTests(EmbeddedV1Silo silo) : IClassFixture<EmbeddedV1Silo>
{
    [Fact]
    public async Task TheGrantedProfilesAreGivenAsGrantedWithTokensThatExpireADayAfterActivation()
    {
        var before = DateTimeOffset.UtcNow;
        var (id, granted) = await EmbeddedWorkflows.ActivatedAsync(silo.Client);

        var live = await silo.Source.GetLiveAsync(id, 10, [.. granted.Select(p => p.MqId).Reverse()], CancellationToken.None);

        Assert.NotNull(live);
        Assert.Equal(granted.AsEnumerable().Reverse(), live.Select(d => d.Profile));
        Assert.All(live, d => Assert.Equal(id, d.WorkflowId));
        Assert.All(granted, p => Assert.InRange(QueueTokenExpiry.Read(p.AuthToken)!.Value,
            before.AddHours(24).AddSeconds(-1), DateTimeOffset.UtcNow.AddHours(24).AddSeconds(1)));
    }

    [Fact]
    public async Task TheEmbeddedMqsReadsOneProfileFromTheWorkflowsGrant()
    {
        var (id, granted) = await EmbeddedWorkflows.ActivatedAsync(silo.Client);
        var mqs = silo.Services.GetRequiredService<IMqsClient>();

        var read = await mqs.GetProfileAsync(id, granted[1].MqId, CancellationToken.None);

        Assert.IsType<EmbeddedMqsClient>(mqs);
        Assert.True(mqs.ReservationIsRepeatable);
        Assert.Equal(granted[1], read?.Profile);
        Assert.Equal(id, read?.WorkflowId);
        Assert.Null(await mqs.GetProfileAsync(id, "no-such-queue", CancellationToken.None));
    }

    [Fact]
    public async Task AnUnknownWorkflowHasNoLiveProfiles() =>
        Assert.Null(await silo.Source.GetLiveAsync(Build.WorkflowId(), 10, ["a0"], CancellationToken.None));
}

/// <summary>On the embedded MQS of v1, tokens due for renewal are minted anew; the workflow's own grant stays.</summary>
public sealed class EmbeddedV1RenewalTests(EmbeddedV1SiloRenewingAtOnce silo) : IClassFixture<EmbeddedV1SiloRenewingAtOnce>
{
    [Fact]
    public async Task TokensDueForRenewalAreMintedAnewAndKept()
    {
        var (id, granted) = await EmbeddedWorkflows.ActivatedAsync(silo.Client);
        var mqids = granted.Select(p => p.MqId).ToList();

        var live = await silo.Source.GetLiveAsync(id, 10, mqids, CancellationToken.None);
        var again = await silo.Source.GetLiveAsync(id, 10, mqids, CancellationToken.None);

        Assert.NotNull(live);
        Assert.Equal(mqids, live.Select(d => d.Profile.MqId));
        Assert.Empty(live.Select(d => d.Profile.AuthToken).Intersect(granted.Select(p => p.AuthToken)));
        Assert.All(live, d =>
        {
            Assert.NotNull(QueueTokenExpiry.Read(d.Profile.AuthToken));
            Assert.NotNull(d.Timestamp);
        });
        Assert.Equal(live.Select(d => d.Profile.AuthToken), again!.Select(d => d.Profile.AuthToken));
        Assert.Equal(granted, await silo.Client.GetGrain<IWorkflowGrain>(id).GetMqProfilesAsync());
    }
}

/// <summary>On the embedded MQS of v0, the granted profiles are given as they are: that MQS renews nothing.</summary>
public sealed class EmbeddedV0ProfileSourceTests(EmbeddedV0Silo silo) : IClassFixture<EmbeddedV0Silo>
{
    [Fact]
    public async Task TheGrantedProfilesAreGivenAsGranted()
    {
        var (id, granted) = await EmbeddedWorkflows.ActivatedAsync(silo.Client);

        var live = await silo.Source.GetLiveAsync(id, 10, [.. granted.Select(p => p.MqId)], CancellationToken.None);

        Assert.NotNull(live);
        Assert.Equal(granted, live.Select(d => d.Profile));
        Assert.All(granted, p => Assert.Matches("^[0-9a-f]{48}$", p.AuthToken!));
    }
}
