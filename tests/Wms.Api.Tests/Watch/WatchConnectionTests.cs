using Wms.Api.Watch;
using Wms.Domain.Model;

namespace Wms.Api.Tests.Watch;

/// <summary>A client's queue is bounded: one that lets it fill is ended at once, and never holds more.</summary>
public sealed class WatchConnectionTests
{
    [Fact]
    public void AClientThatLetsItsQueueFillIsEndedAsTooSlow()
    {
        using var connection = new WatchConnection("WF-1", ApiGeneration.V0, capacity: 2, CancellationToken.None);

        connection.Offer(WatchFrame.KeepAlive);
        connection.Offer(WatchFrame.KeepAlive);
        Assert.Null(connection.EndedBecause);
        Assert.False(connection.Ended.IsCancellationRequested);

        connection.Offer(WatchFrame.KeepAlive);

        Assert.Equal("too slow", connection.EndedBecause);
        Assert.True(connection.Ended.IsCancellationRequested);
        Assert.Equal(2, connection.Frames.Count);
        connection.Offer(WatchFrame.KeepAlive);
        Assert.Equal(2, connection.Frames.Count);
    }

    [Fact]
    public void TheClientLeavingEndsItToo()
    {
        using var left = new CancellationTokenSource();
        using var connection = new WatchConnection("WF-1", ApiGeneration.V1, capacity: 4, left.Token);

        left.Cancel();

        Assert.True(connection.Ended.IsCancellationRequested);
        Assert.Null(connection.EndedBecause);
    }
}
