using System.Text.Json;
using Spectre.Console;

namespace Wms.Cli.Output;

/// <summary>Task directives for people: what each task runs, where, and between which queues.</summary>
public static class TaskDirectiveTable
{
    public static Table Of(IEnumerable<JsonElement> taskDirectives)
    {
        var table = new Table().Title("Task directives");
        table.AddColumn(new TableColumn("Task") { NoWrap = true });
        table.AddColumn(new TableColumn("Image"));
        table.AddColumn(new TableColumn("Arguments"));
        table.AddColumn(new TableColumn("Locations"));
        table.AddColumn(new TableColumn("Input queues"));
        table.AddColumn(new TableColumn("Output queues"));
        foreach (var directive in taskDirectives)
        {
            table.AddRow(
                new Text(directive.Text("task_id")),
                new Text(directive.Text("task_image")),
                new Text(directive.Text("task_args")),
                new Text(directive.List("cluster_locations")),
                new Text(directive.List("input_queues", "\n")),
                new Text(directive.List("output_queues", "\n")));
        }
        return table;
    }
}
