using System.CommandLine;
using Wms.Cli.Commands;

namespace Wms.Cli;

/// <summary>
/// The command line of <c>wms</c>: parses it, runs the command, and turns every failure into one line on standard
/// error and its exit status (<see cref="ExitCodes"/>).
/// </summary>
public static class WmsCli
{
    public static RootCommand Root()
    {
        var global = new GlobalOptions();
        var root = new RootCommand("Command-line client of the EWMS Workflow Management Service (WMS)");
        foreach (var option in global.All)
        {
            root.Options.Add(option);
        }
        foreach (var command in CommandCatalog.All(global))
        {
            root.Subcommands.Add(command);
        }
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        var parsed = Root().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Fail(error, $"{parsed.Errors[0].Message} (see 'wms --help')");
            return ExitCodes.Usage;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CommandFailedException failure)
        {
            Fail(error, failure.Message);
            return failure.ExitCode;
        }
        catch (OperationCanceledException)
        {
            Fail(error, "cancelled");
            return ExitCodes.Failure;
        }
    }

    /// <summary>One line, whatever the message holds, so that scripts and people read it alike.</summary>
    private static void Fail(TextWriter error, string message) =>
        error.WriteLine("wms: " + message.ReplaceLineEndings(" "));
}
