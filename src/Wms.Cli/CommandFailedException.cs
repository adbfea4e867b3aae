namespace Wms.Cli;

/// <summary>Ends a command with one line for the user and the exit status that says what went wrong.</summary>
public sealed class CommandFailedException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static CommandFailedException Usage(string message) => new(ExitCodes.Usage, message);
}
