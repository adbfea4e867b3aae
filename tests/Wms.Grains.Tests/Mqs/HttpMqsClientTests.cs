using System.Text.Json.Nodes;
using Wms.GrainInterfaces.Mqs;
using Wms.Grains.Mqs;
using Wms.Testing;

namespace Wms.Grains.Tests.Mqs;

/// <summary>The HTTP MQS client against the fake MQS of each generation: routes, exact bodies, what may be repeated.</summary>
public sealed class HttpMqsClientTests
{
    [Fact]
    public async Task OnV1ItReservesUnderV1WithTheBodyTheMqsAdmitsAndMayReserveAgain()
    {
        await using var fake = await FakeMqs.StartAsync(MqsVersion.V1);
        var client = MqsSeam.Http(fake.BaseAddress, MqsOptions.V1);

        var first = await client.ReserveAsync("WF-r1", ["in", "out"], ["out"], CancellationToken.None);
        var again = await client.ReserveAsync("WF-r1", ["in", "out"], ["out"], CancellationToken.None);

        Assert.True(client.ReservationIsRepeatable);
        Assert.Equal(first.Select(p => p.MqId), again.Select(p => p.MqId));
        Assert.Equal([MqsCallOutcome.Reserved, MqsCallOutcome.ReservationRepeated], fake.Reservations.Select(c => c.Outcome));
        Assert.All(fake.Reservations, c => AssertJson("""{"queue_aliases": ["in", "out"], "public": ["out"]}""", c.Body));
    }

    [Fact]
    public async Task OnV1APublicAliasThatIsNoTaskQueueIsReservedTooSoTheAliasesAreNeverEmpty()
    {
        await using var fake = await FakeMqs.StartAsync(MqsVersion.V1);
        var client = MqsSeam.Http(fake.BaseAddress, MqsOptions.V1);

        var profiles = await client.ReserveAsync("WF-r2", [], ["shown"], CancellationToken.None);

        Assert.Equal("shown", Assert.Single(profiles).Alias);
        AssertJson("""{"queue_aliases": ["shown"], "public": ["shown"]}""", Assert.Single(fake.Reservations).Body);
    }

    [Fact]
    public async Task OnV1AReservationTheMqsFailedIsAskedAgainAndOnV0ItIsNot()
    {
        await using var v1 = await FakeMqs.StartAsync(MqsVersion.V1);
        await using var v0 = await FakeMqs.StartAsync(MqsVersion.V0);
        v1.FailReservationsWith(503);
        v0.FailReservationsWith(503);

        await Assert.ThrowsAsync<MqsException>(() =>
            MqsSeam.Http(v1.BaseAddress, MqsOptions.V1).ReserveAsync("WF-r3", ["q"], [], CancellationToken.None));
        await Assert.ThrowsAsync<MqsException>(() =>
            MqsSeam.Http(v0.BaseAddress, MqsOptions.V0).ReserveAsync("WF-r3", ["q"], [], CancellationToken.None));

        Assert.Equal(2, v1.CountOf(MqsCallKind.Reservation));
        Assert.Equal(1, v0.CountOf(MqsCallKind.Reservation));
    }

    [Fact]
    public async Task OnV1TheActivationBodyIsTheCriteriaAloneAndTheAnswerIsDescribedWhole()
    {
        await using var fake = await FakeMqs.StartAsync(MqsVersion.V1);
        var client = MqsSeam.Http(fake.BaseAddress, MqsOptions.V1);
        var reserved = await client.ReserveAsync("WF-a1", ["in", "out"], [], CancellationToken.None);

        var answer = await client.ActivateAsync("WF-a1", 42, reserved, CancellationToken.None);
        var renewed = await client.ActivateAsync("WF-a1", 42, reserved, CancellationToken.None);

        Assert.All(fake.Activations, c => AssertJson("""{"criteria": {"priority": 42}}""", c.Body));
        Assert.Equal([MqsCallOutcome.Granted, MqsCallOutcome.Granted], fake.Activations.Select(c => c.Outcome));
        Assert.False(answer.TryAgainLater);
        Assert.Equal(reserved.Select(p => p.MqId), answer.Profiles.Select(p => p.MqId));
        Assert.Equal(answer.Profiles, answer.Descriptions.Select(d => d.Profile));
        Assert.All(answer.Descriptions, d =>
        {
            Assert.Equal("WF-a1", d.WorkflowId);
            Assert.Equal(["timestamp"], d.OtherFields.Select(f => f.Key));
            Assert.NotNull(QueueTokenExpiry.Read(d.Profile.AuthToken));
        });
        Assert.Empty(answer.Profiles.Select(p => p.AuthToken).Intersect(renewed.Profiles.Select(p => p.AuthToken)));
    }

    [Fact]
    public async Task OnV1OneProfileIsReadWholeWithItsStoredTokenAndAnUnknownOneIsNull()
    {
        await using var fake = await FakeMqs.StartAsync(MqsVersion.V1);
        var client = MqsSeam.Http(fake.BaseAddress, MqsOptions.V1);
        var reserved = await client.ReserveAsync("WF-p1", ["q"], ["q"], CancellationToken.None);
        var activated = await client.ActivateAsync("WF-p1", 1, reserved, CancellationToken.None);

        var read = await client.GetProfileAsync("WF-p1", reserved[0].MqId, CancellationToken.None);
        var unknown = await client.GetProfileAsync("WF-p1", "no-such-queue", CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(activated.Profiles[0], read.Profile);
        Assert.Equal("WF-p1", read.WorkflowId);
        Assert.NotNull(read.Timestamp);
        Assert.Null(unknown);
        Assert.Equal([reserved[0].MqId, "no-such-queue"], fake.ProfileReads.Select(c => c.Mqid));
    }

    [Fact]
    public async Task OnV1PublicProfilesAreReadUnderV1()
    {
        await using var fake = await FakeMqs.StartAsync(MqsVersion.V1);
        var client = MqsSeam.Http(fake.BaseAddress, MqsOptions.V1);
        await client.ReserveAsync("WF-u1", ["in", "out"], ["out"], CancellationToken.None);

        var answer = await client.GetPublicProfilesAsync("WF-u1", null, CancellationToken.None);

        Assert.Equal("out", Assert.Single(answer.Profiles).Profile.Alias);
        Assert.Single(fake.PublicProfileReads);
    }

    [Fact]
    public async Task OnV0EverythingIsAsInThatEra()
    {
        await using var fake = await FakeMqs.StartAsync(MqsVersion.V0);
        var client = MqsSeam.Http(fake.BaseAddress, MqsOptions.V0);

        var reserved = await client.ReserveAsync("WF-o1", ["in"], [], CancellationToken.None);
        await client.ActivateAsync("WF-o1", 5, reserved, CancellationToken.None);
        var e = await Assert.ThrowsAsync<MqsException>(() => client.GetProfileAsync("WF-o1", reserved[0].MqId, CancellationToken.None));

        Assert.False(client.ReservationIsRepeatable);
        AssertJson("""{"queue_aliases": ["in"], "public": []}""", Assert.Single(fake.Reservations).Body);
        AssertJson("""{"workflow_id": "WF-o1", "criteria": {"priority": 5}}""", Assert.Single(fake.Activations).Body);
        Assert.Contains("v0", e.Message, StringComparison.Ordinal);
        Assert.Empty(fake.ProfileReads);
    }

    [Fact]
    public async Task AV1ClientAgainstAV0MqsFailsLoudlyRatherThanSpeakingPastIt()
    {
        await using var fake = await FakeMqs.StartAsync(MqsVersion.V0);

        var e = await Assert.ThrowsAsync<MqsException>(() =>
            MqsSeam.Http(fake.BaseAddress, MqsOptions.V1).ReserveAsync("WF-x1", ["q"], [], CancellationToken.None));

        Assert.Contains("404", e.Message, StringComparison.Ordinal);
    }

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), actual?.ToJsonString() ?? "null");
}
