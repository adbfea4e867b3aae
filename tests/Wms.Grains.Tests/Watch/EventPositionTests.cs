using Wms.Domain.Watch;

namespace Wms.Grains.Tests.Watch;

/// <summary>Event ids: an epoch and a sequence, read back exactly; anything else this service never gave is refused.</summary>
public sealed class EventPositionTests
{
    [Fact]
    public void AnIdReadsBackAsItWasWritten()
    {
        var epoch = EventPosition.NewEpoch();
        var id = new EventPosition(epoch, 42).ToString();

        Assert.Equal($"{epoch}-42", id);
        Assert.Equal(new EventPosition(epoch, 42), EventPosition.Parse(id));
    }

    [Fact]
    public void EpochsAreLowerCaseHexAndNeverRepeat()
    {
        var epochs = Enumerable.Range(0, 1000).Select(_ => EventPosition.NewEpoch()).ToList();

        Assert.All(epochs, e => Assert.True(e.Length == 16 && EventPosition.IsEpoch(e), e));
        Assert.Equal(epochs.Count, epochs.Distinct().Count());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("42")]
    [InlineData("-42")]
    [InlineData("abc-")]
    [InlineData("abc--1")]
    [InlineData("abc-+1")]
    [InlineData("abc-1.5")]
    [InlineData("ABC-1")]
    [InlineData("xyz-1")]
    [InlineData("abc-99999999999999999999")]
    [InlineData("abc def-1")]
    public void AnythingElseIsNoPosition(string? id) => Assert.Null(EventPosition.Parse(id));

    [Fact]
    public void AnOverlongIdIsNoPosition() =>
        Assert.Null(EventPosition.Parse(new string('a', 80) + "-1"));
}
