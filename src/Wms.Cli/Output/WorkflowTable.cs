using System.Text.Json;
using Spectre.Console;

namespace Wms.Cli.Output;

/// <summary>Workflows for people, one a row: when each was made, its priority, and whether it was ended.</summary>
public static class WorkflowTable
{
    public static Table Of(IEnumerable<JsonElement> workflows)
    {
        var table = new Table();
        table.AddColumn(new TableColumn("Workflow") { NoWrap = true });
        table.AddColumn(new TableColumn("Created (UTC)") { NoWrap = true });
        table.AddColumn(new TableColumn("Priority") { Alignment = Justify.Right });
        table.AddColumn(new TableColumn("State") { NoWrap = true });
        foreach (var workflow in workflows)
        {
            table.AddRow(
                new Text(workflow.Text("workflow_id")),
                new Text(workflow.Time("timestamp")),
                new Text(workflow.Text("priority")),
                new Text(State(workflow)));
        }
        return table;
    }

    /// <summary>"active", or how and when it was deactivated.</summary>
    public static string State(JsonElement workflow) => workflow.Text("deactivated") is { Length: > 0 } how
        ? $"{how} at {workflow.Time("deactivated_ts")}"
        : "active";
}
