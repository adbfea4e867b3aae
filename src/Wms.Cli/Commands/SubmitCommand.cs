using System.CommandLine;
using System.Text.Json;
using Wms.Cli.Input;
using Wms.Cli.Output;
using Wms.Cli.Validation;
using Wms.Requests;

namespace Wms.Cli.Commands;

/// <summary>
/// <c>wms submit FILE</c>: reads a workflow request (JSON or YAML), judges it here with the service's own reader,
/// and only then sends it, with an <c>Idempotency-Key</c> that makes the client's own retries safe.
/// </summary>
public static class SubmitCommand
{
    public static Command Create(GlobalOptions global)
    {
        var file = new Argument<string>("FILE")
        {
            Description = "The workflow request, JSON or YAML; - reads it from standard input",
        };
        var key = new Option<string?>("--idempotency-key")
        {
            Description = "The request's Idempotency-Key, to repeat a submission safely (default: a new one each run)",
        };
        var command = new Command("submit", "Check a workflow request here, as the service would, then submit it")
        {
            file,
            key,
        };
        command.SetAction((result, cancel) => RunAsync(result, global, result.GetValue(file)!, result.GetValue(key), cancel));
        return command;
    }

    private static async Task<int> RunAsync(
        System.CommandLine.ParseResult result, GlobalOptions global, string path, string? idempotencyKey,
        CancellationToken cancel)
    {
        var request = WorkflowFile.Read(path, Console.OpenStandardInput);
        var name = path == WorkflowFile.StandardInput ? "standard input" : path;
        try
        {
            LocalValidation.Workflow(request, Session.GenerationOf(result, global));
        }
        catch (BadRequestException e)
        {
            throw CommandFailedException.Usage($"{name}: {e.Message}");
        }
        var key = idempotencyKey ?? Guid.NewGuid().ToString();
        if (!IdempotencyKeyRule.IsValid(key))
        {
            throw CommandFailedException.Usage(IdempotencyKeyRule.Refusal);
        }
        using var session = Session.Open(result, global);
        var answer = await session.Client.PostAsync(session.Routes.Workflows, request, key, cancel);
        if (session.Json)
        {
            session.Terminal.Json(answer.Body);
            return ExitCodes.Ok;
        }
        using var document = answer.Document();
        var creation = document.RootElement;
        var workflow = creation.Member("workflow");
        session.Terminal.Line(
            $"Submitted workflow {workflow.Text("workflow_id")} (priority {workflow.Text("priority")}).");
        var taskforces = creation.Member("taskforces");
        if (taskforces.ValueKind == JsonValueKind.Array)
        {
            session.Terminal.Out.Write(TaskforceTable.Of(taskforces.EnumerateArray()));
        }
        return ExitCodes.Ok;
    }
}
