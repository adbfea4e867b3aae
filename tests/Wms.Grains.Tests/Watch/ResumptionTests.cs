using Wms.Domain.Watch;

namespace Wms.Grains.Tests.Watch;

/// <summary>
/// A reconnecting client is sent the events it missed only when all of them are kept in the current epoch;
/// otherwise it gets a snapshot, and the snapshot says why.
/// </summary>
public sealed class ResumptionTests
{
    private const string Epoch = "0a1b2c3d4e5f6071";

    private static string? Cause(EventPosition? requested, bool idGiven = true, long oldest = 11, long last = 20) =>
        Resumption.SnapshotCauseFor(requested, idGiven, Epoch, oldest, last);

    [Theory]
    [InlineData(10)]
    [InlineData(15)]
    [InlineData(20)]
    public void AnIdOfThisEpochWhoseFollowersAreAllKeptResumes(long sequence) =>
        Assert.Null(Cause(new EventPosition(Epoch, sequence)));

    [Fact]
    public void NoIdIsANewWatcher() => Assert.Equal(SnapshotCause.New, Cause(null, idGiven: false));

    [Fact]
    public void AnIdThatIsNoPositionIsUnknown() => Assert.Equal(SnapshotCause.UnknownId, Cause(null, idGiven: true));

    [Fact]
    public void AnIdOfAnotherEpochGetsASnapshot() =>
        Assert.Equal(SnapshotCause.OtherEpoch, Cause(new EventPosition("ffffffffffffffff", 15)));

    [Fact]
    public void AnIdBeyondTheLastEventIsUnknown() =>
        Assert.Equal(SnapshotCause.UnknownId, Cause(new EventPosition(Epoch, 21)));

    [Fact]
    public void AnIdOlderThanWhatIsKeptGetsASnapshot()
    {
        Assert.Equal(SnapshotCause.TooOld, Cause(new EventPosition(Epoch, 9)));
        Assert.Equal(SnapshotCause.TooOld, Cause(new EventPosition(Epoch, 0)));
    }

    [Fact]
    public void BeforeAnyEventTheStartResumes() =>
        Assert.Null(Cause(new EventPosition(Epoch, 0), oldest: 1, last: 0));
}
