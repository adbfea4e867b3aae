using System.CommandLine;
using System.Text.Json;
using Wms.Cli.Output;
using Wms.Domain.Model;

namespace Wms.Cli.Commands;

/// <summary>
/// <c>wms explain ID</c>: why a workflow's taskforces (or one taskforce) are where they are, in words, with what the
/// user can do and the evidence. With <c>--json</c>, the service's explanation as it gave it.
/// </summary>
public static class ExplainCommand
{
    public static Command Create(GlobalOptions global)
    {
        var id = new Argument<string>("ID") { Description = "A workflow's id (WF-...) or a taskforce's uuid (TF-...)" };
        var command = new Command("explain", "Say why a workflow's taskforces are not running yet, or what they do") { id };
        command.SetAction((result, cancel) => RunAsync(result, global, result.GetValue(id)!, cancel));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, GlobalOptions global, string id, CancellationToken cancel)
    {
        using var session = Session.Open(result, global);
        var taskforce = Ids.IsTaskforceUuid(id);
        var answer = await session.Client.GetAsync(
            taskforce ? session.Routes.ExplainTaskforce(id) : session.Routes.ExplainWorkflow(id), cancel);
        if (session.Json)
        {
            session.Terminal.Json(answer.Body);
            return ExitCodes.Ok;
        }
        using var document = answer.Document();
        var root = document.RootElement;
        if (taskforce)
        {
            ExplanationView.Write(session.Terminal, [root], null);
        }
        else
        {
            var list = root.Member("taskforces");
            ExplanationView.Write(session.Terminal,
                list.ValueKind == JsonValueKind.Array ? [.. list.EnumerateArray()] : [], root.Text("summary"));
        }
        return ExitCodes.Ok;
    }
}
