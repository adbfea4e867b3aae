using System.CommandLine;
using Wms.Cli.Connection;
using Wms.Cli.Watch;

namespace Wms.Cli.Commands;

/// <summary>
/// <c>wms watch WORKFLOW_ID</c>: follows a workflow live from its event stream, a progress bar per taskforce at a
/// terminal (a line per change otherwise, a JSON line per event with <c>--json</c>), until every taskforce has
/// settled. A dropped stream is resumed where it broke (<c>Last-Event-ID</c>), so nothing is missed or shown twice.
/// </summary>
public static class WatchCommand
{
    /// <summary>The exit status when the user stops the watch (Ctrl+C), as shells report an interrupt.</summary>
    public const int Interrupted = 130;

    private static readonly TimeSpan DefaultReconnectWait = TimeSpan.FromSeconds(2);

    public static Command Create(GlobalOptions global)
    {
        var id = new Argument<string>("WORKFLOW_ID") { Description = "The workflow's id (WF-...)" };
        var command = new Command("watch",
            "Follow a workflow live, a progress bar per taskforce, until all its taskforces are done") { id };
        command.SetAction((result, cancel) => RunAsync(result, global, result.GetValue(id)!, cancel));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, GlobalOptions global, string workflowId, CancellationToken cancel)
    {
        using var session = Session.Open(result, global);
        var workflow = new WatchedWorkflow(workflowId);
        IWatchView view = session.Json ? new WatchJson(session.Terminal)
            : session.Terminal.IsLive ? new WatchBars(session.Terminal)
            : new WatchLog(session.Terminal, TimeProvider.System);
        try
        {
            await view.RunAsync(workflow, show => FollowAsync(session, workflow, show, cancel));
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return Interrupted;
        }
        view.Finish(workflow);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Reads the stream until the workflow is done, reconnecting after a drop. Only failures in a row count against
    /// the retries: a stream that delivered something before it broke starts the count again.
    /// </summary>
    private static async Task FollowAsync(
        Session session, WatchedWorkflow workflow, Action<ServerEvent, IReadOnlyList<string>> show, CancellationToken cancel)
    {
        var reader = new EventStreamReader();
        var failures = 0;
        var route = session.Routes.Events(workflow.WorkflowId);
        while (true)
        {
            var delivered = false;
            string why;
            try
            {
                using var response = await session.Client.OpenEventsAsync(route, reader.LastEventId, cancel);
                await using var stream = await response.Content.ReadAsStreamAsync(cancel);
                await foreach (var e in reader.ReadAsync(stream, cancel))
                {
                    delivered = true;
                    show(e, workflow.Apply(e));
                    if (workflow.IsDone)
                    {
                        return;
                    }
                }
                why = "the service ended the stream";
            }
            catch (CommandFailedException e) when (e.ExitCode == ExitCodes.Unavailable)
            {
                why = e.Message;
            }
            catch (Exception e) when (WmsClient.IsUnreachable(e, cancel))
            {
                why = WmsClient.Describe(e);
            }
            failures = delivered ? 0 : failures + 1;
            if (failures > session.Settings.Retries)
            {
                throw new CommandFailedException(ExitCodes.Unavailable,
                    $"lost the event stream of {workflow.WorkflowId} at {session.Client.BaseAddress}: {why} " +
                    $"(tried {failures} times)");
            }
            await Task.Delay(reader.Retry ?? DefaultReconnectWait, cancel);
        }
    }
}
