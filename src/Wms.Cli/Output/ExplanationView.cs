using System.Text.Json;
using Spectre.Console;

namespace Wms.Cli.Output;

/// <summary>
/// Explanations for people: a table of where each taskforce stands and since when, then each one's words, what the
/// user can do, and the plain facts of its evidence.
/// </summary>
public static class ExplanationView
{
    public static void Write(Terminal terminal, IReadOnlyList<JsonElement> explanations, string? summary)
    {
        if (summary is { Length: > 0 })
        {
            terminal.Line(summary);
        }
        var table = new Table();
        table.AddColumn(new TableColumn("Taskforce") { NoWrap = true });
        table.AddColumn(new TableColumn("Schedd"));
        table.AddColumn(new TableColumn("Phase") { NoWrap = true });
        table.AddColumn(new TableColumn("Reason") { NoWrap = true });
        table.AddColumn(new TableColumn("Since (UTC)") { NoWrap = true });
        foreach (var explanation in explanations)
        {
            table.AddRow(
                new Text(explanation.Text("taskforce_uuid")),
                new Text(explanation.Text("schedd")),
                new Text(explanation.Text("phase")),
                new Text(explanation.Text("reason")),
                new Text(explanation.Time("since")));
        }
        terminal.Out.Write(table);
        foreach (var explanation in explanations)
        {
            terminal.Line("");
            terminal.Line($"{explanation.Text("taskforce_uuid")}: {explanation.Text("message")}");
            if (explanation.Text("action") is { Length: > 0 } action)
            {
                terminal.Line($"  What to do: {action}");
            }
            foreach (var fact in Facts(explanation.Member("evidence")))
            {
                terminal.Line($"  {fact}");
            }
        }
    }

    /// <summary>The evidence's plain values (times as UTC), and its lists of errors one a line.</summary>
    private static IEnumerable<string> Facts(JsonElement evidence)
    {
        if (evidence.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }
        foreach (var member in evidence.EnumerateObject())
        {
            switch (member.Value.ValueKind)
            {
                case JsonValueKind.Number when member.Name.EndsWith("_ts", StringComparison.Ordinal):
                    yield return $"{member.Name}: {evidence.Time(member.Name)}";
                    break;
                case JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                    yield return $"{member.Name}: {evidence.Text(member.Name)}";
                    break;
                case JsonValueKind.Array:
                    foreach (var item in member.Value.EnumerateArray())
                    {
                        yield return item.ValueKind == JsonValueKind.Object && item.Text("error") is { Length: > 0 } error
                            ? $"{member.Name}: {item.Time("timestamp")} {error}"
                            : $"{member.Name}: {(item.ValueKind == JsonValueKind.String ? item.GetString() : item.GetRawText())}";
                    }
                    break;
            }
        }
    }
}
