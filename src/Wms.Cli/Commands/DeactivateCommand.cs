using System.CommandLine;
using System.Text.Json.Nodes;
using Wms.Cli.Output;

namespace Wms.Cli.Commands;

/// <summary>
/// <c>wms abort WORKFLOW_ID</c> and <c>wms finish WORKFLOW_ID</c>: deactivate a workflow, which tells the TMS to
/// stop its taskforces' workers.
/// </summary>
public static class DeactivateCommand
{
    public static Command Abort(GlobalOptions global) =>
        Create(global, "abort", "Abort a workflow: its workers are stopped", "aborted", (routes, id) => routes.Abort(id));

    public static Command Finish(GlobalOptions global) =>
        Create(global, "finish", "Mark a workflow finished: its workers are stopped", "finished", (routes, id) => routes.Finish(id));

    private static Command Create(
        GlobalOptions global, string name, string description, string done,
        Func<Connection.Routes, string, string> route)
    {
        var id = new Argument<string>("WORKFLOW_ID") { Description = "The workflow's id (WF-...)" };
        var command = new Command(name, description) { id };
        command.SetAction(async (result, cancel) =>
        {
            var workflowId = result.GetValue(id)!;
            using var session = Session.Open(result, global);
            var answer = await session.Client.PostAsync(route(session.Routes, workflowId), new JsonObject(), null, cancel);
            if (session.Json)
            {
                session.Terminal.Json(answer.Body);
                return ExitCodes.Ok;
            }
            using var document = answer.Document();
            var stopped = document.RootElement.Text("n_taskforces");
            session.Terminal.Line($"Workflow {workflowId} {done}; {stopped} taskforce(s) told to stop.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
