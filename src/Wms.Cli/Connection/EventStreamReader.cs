using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Wms.Cli.Connection;

/// <summary>
/// Reads a <c>text/event-stream</c> as the HTML standard's parser does: fields up to a blank line make one event,
/// lines starting with a colon are comments (the service's keep-alives), several <c>data:</c> lines join with line
/// breaks, and an event without data is not dispatched. The last id seen and the server's <c>retry:</c> advice
/// outlive the stream, for resuming it.
/// </summary>
public sealed class EventStreamReader
{
    /// <summary>The id to send as <c>Last-Event-ID</c> when reconnecting; an event without one keeps the last.</summary>
    public string? LastEventId { get; private set; }

    /// <summary>How long the server asked clients to wait before reconnecting, if it said.</summary>
    public TimeSpan? Retry { get; private set; }

    public EventStreamReader(string? lastEventId = null) => LastEventId = _idBuffer = lastEventId;

    /// <summary>The id of the event being read; it becomes <see cref="LastEventId"/> only once the event is whole.</summary>
    private string? _idBuffer;

    public async IAsyncEnumerable<ServerEvent> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancel)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var data = new StringBuilder();
        var name = "";
        var hasData = false;
        while (await reader.ReadLineAsync(cancel) is { } line)
        {
            if (line.Length == 0)
            {
                LastEventId = _idBuffer;
                if (hasData)
                {
                    yield return new ServerEvent(LastEventId, name.Length == 0 ? "message" : name, data.ToString());
                }
                data.Clear();
                name = "";
                hasData = false;
                continue;
            }
            if (line[0] == ':')
            {
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }
            switch (field)
            {
                case "event":
                    name = value;
                    break;
                case "data":
                    if (hasData)
                    {
                        data.Append('\n');
                    }
                    data.Append(value);
                    hasData = true;
                    break;
                case "id" when !value.Contains('\0', StringComparison.Ordinal):
                    _idBuffer = value;
                    break;
                case "retry" when value.Length > 0 && value.All(char.IsAsciiDigit)
                    && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds):
                    Retry = TimeSpan.FromMilliseconds(milliseconds);
                    break;
            }
        }
        // An event not ended by a blank line when the stream closes is incomplete, and dropped.
    }
}
