using System.Text;
using Wms.Cli.Connection;

namespace Wms.Cli.Tests.Watch;

public sealed class EventStreamReaderTests
{
    private static async Task<(List<ServerEvent> Events, EventStreamReader Reader)> ReadAsync(string text, string? lastId = null)
    {
        var reader = new EventStreamReader(lastId);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var events = new List<ServerEvent>();
        await foreach (var e in reader.ReadAsync(stream, CancellationToken.None))
        {
            events.Add(e);
        }
        return (events, reader);
    }

    [Fact]
    public async Task NamedEventsWithIdsAndDataAreReadInOrder()
    {
        var (events, reader) = await ReadAsync(
            "retry: 2000\n\nid: e1-1\nevent: snapshot\ndata: {\"a\":1}\n\nid: e1-2\nevent: taskforce\ndata: {\"b\":2}\n\n");
        Assert.Equal([new ServerEvent("e1-1", "snapshot", "{\"a\":1}"), new ServerEvent("e1-2", "taskforce", "{\"b\":2}")], events);
        Assert.Equal("e1-2", reader.LastEventId);
        Assert.Equal(TimeSpan.FromSeconds(2), reader.Retry);
    }

    [Fact]
    public async Task CommentsAreSkippedAndDataLinesJoinWithLineBreaks()
    {
        var (events, _) = await ReadAsync(": keep-alive\r\n\r\nevent: x\r\ndata: one\r\ndata:two\r\ndata\r\n\r\n");
        var e = Assert.Single(events);
        Assert.Equal("x", e.Name);
        Assert.Equal("one\ntwo\n", e.Data);
    }

    [Fact]
    public async Task AnUnnamedEventIsAMessageAndAnEventWithoutDataIsNotDispatched()
    {
        var (events, reader) = await ReadAsync("event: ignored\nid: 7\n\ndata: hello\n\n");
        Assert.Equal([new ServerEvent("7", "message", "hello")], events);
        Assert.Equal("7", reader.LastEventId);
    }

    [Fact]
    public async Task AnEventCutOffByTheEndOfTheStreamIsDroppedAndItsIdIsNotKept()
    {
        var (events, reader) = await ReadAsync("id: a-1\nevent: t\ndata: 1\n\nid: a-2\nevent: t\ndata: 2\n", lastId: "a-0");
        Assert.Equal("1", Assert.Single(events).Data);
        // Resuming must ask again for the event that never arrived whole.
        Assert.Equal("a-1", reader.LastEventId);
    }

    [Fact]
    public async Task TheResumedIdIsKeptUntilAnEventSetsAnother()
    {
        var (events, reader) = await ReadAsync(": nothing yet\n\n", lastId: "e9-41");
        Assert.Empty(events);
        Assert.Equal("e9-41", reader.LastEventId);
    }

    [Theory]
    [InlineData("retry: soon\n\n")]
    [InlineData("retry: -5\n\n")]
    [InlineData("retry:\n\n")]
    public async Task ARetryThatIsNotANumberOfMillisecondsIsIgnored(string text)
    {
        var (_, reader) = await ReadAsync(text);
        Assert.Null(reader.Retry);
    }
}
