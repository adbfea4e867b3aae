using System.Text.Json;
using Spectre.Console;

namespace Wms.Cli.Output;

/// <summary>Taskforces for people: where each runs, its phase, its workers and what they are doing.</summary>
public static class TaskforceTable
{
    public static Table Of(IEnumerable<JsonElement> taskforces)
    {
        var table = new Table().Title("Taskforces");
        table.AddColumn(new TableColumn("Taskforce") { NoWrap = true });
        table.AddColumn(new TableColumn("Task") { NoWrap = true });
        table.AddColumn(new TableColumn("Location (schedd)"));
        table.AddColumn(new TableColumn("Phase") { NoWrap = true });
        table.AddColumn(new TableColumn("Workers") { Alignment = Justify.Right });
        table.AddColumn(new TableColumn("Worker statuses"));
        foreach (var taskforce in taskforces)
        {
            table.AddRow(
                new Text(taskforce.Text("taskforce_uuid")),
                new Text(taskforce.Text("task_id")),
                new Text(taskforce.Text("schedd")),
                new Text(taskforce.Text("phase")),
                new Text(taskforce.Text("n_workers")),
                new Text(CompoundStatuses.Summary(taskforce)));
        }
        return table;
    }
}
