using System.Globalization;
using Wms.Cli.Connection;
using Wms.Cli.Output;

namespace Wms.Cli.Watch;

/// <summary>A watch for output that does not redraw (a pipe, a file, a log): each change one timestamped line.</summary>
public sealed class WatchLog(Terminal terminal, TimeProvider time) : IWatchView
{
    public Task RunAsync(WatchedWorkflow workflow, Func<Action<ServerEvent, IReadOnlyList<string>>, Task> watch) =>
        watch((_, lines) =>
        {
            var now = time.GetUtcNow().ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            foreach (var line in lines)
            {
                terminal.Line($"{now} {line}");
            }
        });

    public void Finish(WatchedWorkflow workflow) => terminal.Line(WatchSummary.Of(workflow));
}
