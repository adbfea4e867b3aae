using System.Text.Json;
using Wms.Cli.Connection;
using Wms.Cli.Output;

namespace Wms.Cli.Watch;

/// <summary>
/// A watch for scripts (<c>--json</c>): each event one line, <c>{"id", "event", "data"}</c>, its data as the service
/// sent it.
/// </summary>
public sealed class WatchJson(Terminal terminal) : IWatchView
{
    public Task RunAsync(WatchedWorkflow workflow, Func<Action<ServerEvent, IReadOnlyList<string>>, Task> watch) =>
        watch((e, _) => terminal.Json(writer =>
        {
            using var data = JsonDocument.Parse(e.Data);
            writer.WriteStartObject();
            writer.WriteString("id", e.Id);
            writer.WriteString("event", e.Name);
            writer.WritePropertyName("data");
            data.RootElement.WriteTo(writer);
            writer.WriteEndObject();
        }));

    public void Finish(WatchedWorkflow workflow)
    {
        // Scripts read the events; the end of the stream is the end of the output.
    }
}
