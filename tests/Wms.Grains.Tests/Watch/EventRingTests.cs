using Wms.Domain.Watch;

namespace Wms.Grains.Tests.Watch;

/// <summary>
/// The events kept for resuming: numbered from 1, the newest kept up to the capacity, and a reader behind what is
/// kept is told so rather than given a list with a hole in it.
/// </summary>
public sealed class EventRingTests
{
    [Fact]
    public void EventsAreNumberedFromOneInOrder()
    {
        var ring = new EventRing<string>(4);
        Assert.Equal((0L, 1L), (ring.Last, ring.Oldest));

        Assert.Equal(1, ring.Append("a"));
        Assert.Equal(2, ring.Append("b"));

        Assert.Equal((2L, 1L), (ring.Last, ring.Oldest));
        Assert.Equal(["a", "b"], ring.After(0)!);
        Assert.Equal(["b"], ring.After(1)!);
        Assert.Empty(ring.After(2)!);
    }

    [Fact]
    public void OnlyTheNewestAreKeptAndAReaderBehindThemGetsNothing()
    {
        var ring = new EventRing<int>(3);
        for (var i = 1; i <= 10; i++)
        {
            ring.Append(i * 10);
        }

        Assert.Equal((10L, 8L), (ring.Last, ring.Oldest));
        Assert.Equal([80, 90, 100], ring.After(7)!);
        Assert.Equal([100], ring.After(9)!);
        // Event 7 was dropped: one who saw up to 6 cannot be brought up to date from here.
        Assert.False(ring.Holds(6));
        Assert.Null(ring.After(6));
        Assert.Null(ring.After(0));
    }

    [Fact]
    public void APositionAheadOfTheLastIsNotHeld()
    {
        var ring = new EventRing<int>(3);
        ring.Append(1);

        Assert.True(ring.Holds(1));
        Assert.False(ring.Holds(2));
        Assert.Null(ring.After(2));
    }

    [Fact]
    public void ALimitGivesTheOldestFirstInBoundedBatches()
    {
        var ring = new EventRing<int>(100);
        for (var i = 1; i <= 10; i++)
        {
            ring.Append(i);
        }

        Assert.Equal([4, 5, 6], ring.After(3, limit: 3)!);
        Assert.Equal([7, 8, 9], ring.After(6, limit: 3)!);
        Assert.Equal([10], ring.After(9, limit: 3)!);
    }

    [Fact]
    public void WrappingAroundManyTimesKeepsTheOrder()
    {
        var ring = new EventRing<long>(5);
        for (var i = 1L; i <= 1003; i++)
        {
            Assert.Equal(i, ring.Append(i));
        }

        Assert.Equal([999L, 1000, 1001, 1002, 1003], ring.After(998)!);
    }
}
