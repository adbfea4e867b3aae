using Wms.Cli.Connection;

namespace Wms.Cli.Watch;

/// <summary>How <c>wms watch</c> shows a workflow's events: live bars, a log of lines, or JSON lines.</summary>
public interface IWatchView
{
    /// <summary>
    /// Runs <paramref name="watch"/>, which hands each event, with what it changed in words, to the callback it is
    /// given, for as long as the watch lasts.
    /// </summary>
    Task RunAsync(WatchedWorkflow workflow, Func<Action<ServerEvent, IReadOnlyList<string>>, Task> watch);

    /// <summary>The watch's last word, once it ends.</summary>
    void Finish(WatchedWorkflow workflow);
}
