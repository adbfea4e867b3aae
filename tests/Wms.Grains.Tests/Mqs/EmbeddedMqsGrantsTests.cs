using Microsoft.Extensions.Time.Testing;
using Wms.Domain.Model;
using Wms.Grains.Mqs;

namespace Wms.Grains.Tests.Mqs;

public sealed class EmbeddedMqsGrantsTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 4, 9, 30, 0, TimeSpan.Zero);

    private static readonly EmbeddedMqsGrants V0Grants = new(new MqsOptions
    {
        ApiVersion = MqsOptions.V0,
        EmbeddedBrokerType = "rabbitmq",
        EmbeddedBrokerAddress = "broker.example:5672",
    });

    private readonly FakeTimeProvider _clock = new(Now);

    private EmbeddedMqsGrants V1Grants => new(new MqsOptions
    {
        EmbeddedBrokerType = "rabbitmq",
        EmbeddedBrokerAddress = "broker.example:5672",
    }, _clock);

    [Fact]
    public void AReservationHasOneProfilePerAliasShapedLikeTheMqsOnes()
    {
        var profiles = EmbeddedMqsGrants.Reserve(["in", "out", "in"], ["out", "extra"]);

        Assert.Equal(["in", "out", "extra"], profiles.Select(p => p.Alias));
        Assert.Equal([false, true, true], profiles.Select(p => p.IsPublic));
        Assert.All(profiles, p =>
        {
            Assert.Matches("^a[0-9a-f]{20}$", p.MqId);
            Assert.False(p.IsActivated);
            Assert.Null(p.AuthToken);
            Assert.Null(p.BrokerType);
            Assert.Null(p.BrokerAddress);
        });
        Assert.Equal(3, profiles.Select(p => p.MqId).Distinct().Count());
    }

    [Fact]
    public void ASecondReservationGrantsOtherQueues()
    {
        var first = EmbeddedMqsGrants.Reserve(["q"], []);
        var second = EmbeddedMqsGrants.Reserve(["q"], []);

        Assert.NotEqual(first[0].MqId, second[0].MqId);
    }

    [Fact]
    public void OnV0ActivationGivesEachReservedQueueATokenAndTheConfiguredBroker()
    {
        var reserved = EmbeddedMqsGrants.Reserve(["in", "out"], ["out"]);

        var activated = V0Grants.Activate(reserved);

        Assert.Equal(reserved.Select(p => (p.MqId, p.Alias, p.IsPublic)), activated.Select(p => (p.MqId, p.Alias, p.IsPublic)));
        Assert.All(activated, p =>
        {
            Assert.True(p.IsActivated);
            Assert.Matches("^[0-9a-f]{48}$", p.AuthToken!);
            Assert.Equal("rabbitmq", p.BrokerType);
            Assert.Equal("broker.example:5672", p.BrokerAddress);
        });
        Assert.NotEqual(activated[0].AuthToken, activated[1].AuthToken);
    }

    [Fact]
    public void OnV0AQueueAlreadyLiveKeepsItsToken()
    {
        var live = new MqProfile { MqId = "a00", Alias = "q", IsActivated = true, AuthToken = "kept", BrokerType = "b", BrokerAddress = "x" };

        Assert.Same(live, Assert.Single(V0Grants.Activate([live])));
    }

    [Fact]
    public void OnV1ActivationGivesEachQueueAJwtThatExpiresADayLaterAndTheConfiguredBroker()
    {
        var reserved = EmbeddedMqsGrants.Reserve(["in", "out"], ["out"]);

        var activated = V1Grants.Activate(reserved, out var minted);

        Assert.Equal(Now, minted);
        Assert.Equal(reserved.Select(p => (p.MqId, p.Alias, p.IsPublic)), activated.Select(p => (p.MqId, p.Alias, p.IsPublic)));
        Assert.All(activated, p =>
        {
            Assert.True(p.IsActivated);
            Assert.Equal(Now.AddHours(24), QueueTokenExpiry.Read(p.AuthToken));
            Assert.Equal("rabbitmq", p.BrokerType);
            Assert.Equal("broker.example:5672", p.BrokerAddress);
        });
        Assert.NotEqual(activated[0].AuthToken, activated[1].AuthToken);
    }

    [Fact]
    public void OnV1EachActivationMintsNewTokensAsTheRealMqsDoes()
    {
        var grants = V1Grants;
        var first = grants.Activate(EmbeddedMqsGrants.Reserve(["q"], []));
        _clock.Advance(TimeSpan.FromHours(20));

        var again = Assert.Single(grants.Activate(first));

        Assert.NotEqual(first[0].AuthToken, again.AuthToken);
        Assert.Equal(Now.AddHours(44), QueueTokenExpiry.Read(again.AuthToken));
        Assert.Equal(first[0].MqId, again.MqId);
    }

    [Fact]
    public void NoQueuesActivateToNone()
    {
        Assert.Empty(V0Grants.Activate([]));
        Assert.Empty(V1Grants.Activate([]));
    }
}
