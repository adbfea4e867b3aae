using System.CommandLine;

namespace Wms.Cli.Commands;

/// <summary>
/// Every command of <c>wms</c>, in the order help lists them. Each is a class of its own that builds its
/// <see cref="Command"/> from the shared options; a new command joins by adding a line here, its routes beside the
/// others in <see cref="Connection.Routes"/>.
/// </summary>
public static class CommandCatalog
{
    public static IEnumerable<Command> All(GlobalOptions global) =>
    [
        SubmitCommand.Create(global),
        GetCommand.Create(global),
        WatchCommand.Create(global),
        ExplainCommand.Create(global),
        ListCommand.Create(global),
        DeactivateCommand.Abort(global),
        DeactivateCommand.Finish(global),
        AddWorkersCommand.Create(global),
        QueuesCommand.Create(global),
    ];
}
