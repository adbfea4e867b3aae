using System.CommandLine;
using System.Text.Json.Nodes;
using Wms.Cli.Output;
using Wms.Cli.Validation;
using Wms.Requests;

namespace Wms.Cli.Commands;

/// <summary>
/// <c>wms add-workers TASK_ID --cluster-location L --n-workers N</c>: one more taskforce for a task, with the
/// route's own parameters, checked here as the service checks them.
/// </summary>
public static class AddWorkersCommand
{
    public static Command Create(GlobalOptions global)
    {
        var taskId = new Argument<string>("TASK_ID") { Description = "The task directive's id (TK-...), as 'wms get' shows it" };
        var location = new Option<string>("--cluster-location")
        {
            Description = "The cluster location (pool) to run the new workers at",
            Required = true,
        };
        var workers = new Option<long>("--n-workers") { Description = "How many workers to start", Required = true };
        var key = new Option<string?>("--idempotency-key")
        {
            Description = "The request's Idempotency-Key, to repeat it safely (default: a new one each run)",
        };
        var command = new Command("add-workers", "Add a taskforce of workers to a task") { taskId, location, workers, key };
        command.SetAction(async (result, cancel) =>
        {
            var body = new JsonObject
            {
                ["cluster_location"] = result.GetValue(location),
                ["n_workers"] = result.GetValue(workers),
            };
            try
            {
                LocalValidation.AddWorkers(body);
            }
            catch (BadRequestException e)
            {
                throw CommandFailedException.Usage(e.Message);
            }
            var idempotencyKey = result.GetValue(key) ?? Guid.NewGuid().ToString();
            if (!IdempotencyKeyRule.IsValid(idempotencyKey))
            {
                throw CommandFailedException.Usage(IdempotencyKeyRule.Refusal);
            }
            using var session = Session.Open(result, global);
            var answer = await session.Client.PostAsync(
                session.Routes.AddWorkers(result.GetValue(taskId)!), body, idempotencyKey, cancel);
            if (session.Json)
            {
                session.Terminal.Json(answer.Body);
                return ExitCodes.Ok;
            }
            using var document = answer.Document();
            var taskforce = document.RootElement;
            session.Terminal.Line($"Added taskforce {taskforce.Text("taskforce_uuid")} to task {taskforce.Text("task_id")}.");
            session.Terminal.Out.Write(TaskforceTable.Of([taskforce]));
            return ExitCodes.Ok;
        });
        return command;
    }
}
