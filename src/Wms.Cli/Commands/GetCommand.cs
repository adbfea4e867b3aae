using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Wms.Cli.Connection;
using Wms.Cli.Output;

namespace Wms.Cli.Commands;

/// <summary>
/// <c>wms get WORKFLOW_ID</c>: a workflow with its task directives and taskforces. With <c>--json</c>, the three as
/// the service gave them, in the shape of a creation's answer: <c>{"workflow", "task_directives", "taskforces"}</c>.
/// </summary>
public static class GetCommand
{
    public static Command Create(GlobalOptions global)
    {
        var id = new Argument<string>("WORKFLOW_ID") { Description = "The workflow's id (WF-...)" };
        var command = new Command("get", "Show a workflow, its task directives and its taskforces") { id };
        command.SetAction((result, cancel) => RunAsync(result, global, result.GetValue(id)!, cancel));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, GlobalOptions global, string workflowId, CancellationToken cancel)
    {
        using var session = Session.Open(result, global);
        var answer = await session.Client.GetAsync(session.Routes.Workflow(workflowId), cancel);
        using var document = answer.Document();
        var workflow = document.RootElement;
        var ofWorkflow = new JsonObject { ["workflow_id"] = workflowId };
        List<JsonElement> directives = [];
        List<JsonElement> taskforces = [];
        await session.Terminal.ProgressAsync("Reading the workflow's task directives and taskforces", async _ =>
        {
            directives = await Finds.AllAsync(session.Client, session.Routes, FindKind.TaskDirectives, ofWorkflow, null, cancel);
            taskforces = await Finds.AllAsync(session.Client, session.Routes, FindKind.Taskforces, ofWorkflow, null, cancel);
        });
        if (session.Json)
        {
            session.Terminal.Json(writer =>
            {
                writer.WriteStartObject();
                writer.WriteRawMember("workflow", workflow);
                writer.WriteRawList("task_directives", directives);
                writer.WriteRawList("taskforces", taskforces);
                writer.WriteEndObject();
            });
            return ExitCodes.Ok;
        }
        var summary = new Grid().AddColumn().AddColumn();
        summary.AddRow(new Text("Workflow"), new Text(workflow.Text("workflow_id")));
        summary.AddRow(new Text("Created (UTC)"), new Text(workflow.Time("timestamp")));
        summary.AddRow(new Text("Priority"), new Text(workflow.Text("priority")));
        summary.AddRow(new Text("State"), new Text(WorkflowTable.State(workflow)));
        session.Terminal.Out.Write(summary);
        session.Terminal.Out.Write(TaskDirectiveTable.Of(directives));
        session.Terminal.Out.Write(TaskforceTable.Of(taskforces));
        var errors = taskforces
            .SelectMany(t => CompoundStatuses.TopErrors(t).Select(e => $"{t.Text("taskforce_uuid")}: {e}"))
            .ToList();
        if (errors.Count > 0)
        {
            session.Terminal.Line("Top task errors:");
            errors.ForEach(session.Terminal.Line);
        }
        return ExitCodes.Ok;
    }
}
