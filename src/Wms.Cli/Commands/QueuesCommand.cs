using System.CommandLine;
using System.Text.Json;
using Wms.Cli.Output;

namespace Wms.Cli.Commands;

/// <summary>
/// <c>wms queues WORKFLOW_ID</c>: the workflow's public queues, with the tokens a user's own programs need to
/// read from or write to them once the MQS has activated them.
/// </summary>
public static class QueuesCommand
{
    public static Command Create(GlobalOptions global)
    {
        var id = new Argument<string>("WORKFLOW_ID") { Description = "The workflow's id (WF-...)" };
        var command = new Command("queues", "Show a workflow's public queues and their tokens") { id };
        command.SetAction(async (result, cancel) =>
        {
            using var session = Session.Open(result, global);
            var answer = await session.Client.GetAsync(session.Routes.PublicQueueProfiles(result.GetValue(id)!), cancel);
            if (session.Json)
            {
                session.Terminal.Json(answer.Body);
                return ExitCodes.Ok;
            }
            using var document = answer.Document();
            var profiles = document.RootElement.Member("mqprofiles");
            var all = profiles.ValueKind == JsonValueKind.Array ? profiles.EnumerateArray().ToList() : [];
            if (all.Count == 0)
            {
                session.Terminal.Line("The workflow has no public queues (or no workflow has that id).");
                return ExitCodes.Ok;
            }
            session.Terminal.Out.Write(QueueProfileTable.Of(all));
            // Tokens go on lines of their own, whole: a table would wrap them, and they are copied, not read.
            foreach (var profile in all)
            {
                var token = profile.Text("auth_token");
                session.Terminal.Line($"{profile.Text("alias")} token: {(token.Length > 0 ? token : "(not yet activated)")}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
