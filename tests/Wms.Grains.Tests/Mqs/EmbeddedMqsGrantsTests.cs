using Wms.Domain.Model;
using Wms.Grains.Mqs;

namespace Wms.Grains.Tests.Mqs;

public sealed class EmbeddedMqsGrantsTests
{
    private static readonly EmbeddedMqsGrants Grants =
        new(new MqsOptions { EmbeddedBrokerType = "rabbitmq", EmbeddedBrokerAddress = "broker.example:5672" });

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
    public void ActivationGivesEachReservedQueueATokenAndTheConfiguredBroker()
    {
        var reserved = EmbeddedMqsGrants.Reserve(["in", "out"], ["out"]);

        var activated = Grants.Activate(reserved);

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
    public void AQueueAlreadyLiveKeepsItsToken()
    {
        var live = new MqProfile { MqId = "a00", Alias = "q", IsActivated = true, AuthToken = "kept", BrokerType = "b", BrokerAddress = "x" };

        Assert.Same(live, Assert.Single(Grants.Activate([live])));
    }

    [Fact]
    public void NoQueuesActivateToNone() => Assert.Empty(Grants.Activate([]));
}
