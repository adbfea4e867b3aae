using System.Text.Json;
using Spectre.Console;

namespace Wms.Cli.Output;

/// <summary>A workflow's public queues for people: which are ready, and where their broker is.</summary>
public static class QueueProfileTable
{
    public static Table Of(IEnumerable<JsonElement> profiles)
    {
        var table = new Table();
        table.AddColumn(new TableColumn("Alias") { NoWrap = true });
        table.AddColumn(new TableColumn("Queue id") { NoWrap = true });
        table.AddColumn(new TableColumn("Activated"));
        table.AddColumn(new TableColumn("Broker type"));
        table.AddColumn(new TableColumn("Broker address"));
        foreach (var profile in profiles)
        {
            table.AddRow(
                new Text(profile.Text("alias")),
                new Text(profile.Text("mqid")),
                new Text(profile.Text("is_activated") == "true" ? "yes" : "not yet"),
                new Text(profile.Text("broker_type")),
                new Text(profile.Text("broker_address")));
        }
        return table;
    }
}
