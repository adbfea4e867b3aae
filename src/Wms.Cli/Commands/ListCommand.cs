using System.CommandLine;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Wms.Cli.Connection;
using Wms.Cli.Output;
using Wms.Domain.Model;

namespace Wms.Cli.Commands;

/// <summary>
/// <c>wms ls</c>: finds workflows, following the service's pages to the end or to <c>--limit</c>. With
/// <c>--json</c>, <c>{"workflows": [...]}</c> holding the service's objects as it gave them.
/// </summary>
public static class ListCommand
{
    /// <summary>Most workflow ids one taskforce find of <c>--phase</c> names: well inside the service's filter bounds.</summary>
    private const int IdsPerPhaseFind = 500;

    public static Command Create(GlobalOptions global)
    {
        var filter = new Option<string?>("--filter")
        {
            Description = "A MongoDB-style filter on the workflows' fields, e.g. '{\"priority\": 50}'",
        };
        var state = new Option<string?>("--state") { Description = "Only active, aborted or finished workflows" };
        state.AcceptOnlyFromAmong([.. WorkflowFilter.States]);
        var phase = new Option<string?>("--phase") { Description = "Only workflows with a taskforce in this phase" };
        phase.AcceptOnlyFromAmong([.. Phase.All]);
        var limit = new Option<int?>("--limit") { Description = "Show at most this many workflows" };
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1)
            {
                r.AddError("--limit must be at least 1");
            }
        });
        var mine = new Option<bool>("--mine")
        {
            Description = "Only the workflows you created (with the service's authentication off: those made while it was off)",
        };
        var command = new Command("ls", "Find workflows, a page at a time to the end") { filter, state, phase, limit, mine };
        command.SetAction((result, cancel) => RunAsync(
            result, global, WorkflowFilter.Build(result.GetValue(filter), result.GetValue(state)),
            result.GetValue(phase), result.GetValue(limit), result.GetValue(mine), cancel));
        return command;
    }

    private static async Task<int> RunAsync(
        ParseResult result, GlobalOptions global, JsonObject query, string? phase, int? limit, bool mine,
        CancellationToken cancel)
    {
        using var session = Session.Open(result, global);
        var pages = Finds.PagesAsync(session.Client, session.Routes, FindKind.Workflows, query, null, mine, cancel);
        if (phase is not null)
        {
            pages = WithTaskforceIn(session, phase, pages, cancel);
        }
        var found = await FoundWorkflows.CollectAsync(pages, limit, session.Terminal, cancel);
        if (session.Json)
        {
            session.Terminal.Json(writer =>
            {
                writer.WriteStartObject();
                writer.WriteRawList("workflows", found.Workflows);
                writer.WriteEndObject();
            });
            return ExitCodes.Ok;
        }
        session.Terminal.Out.Write(WorkflowTable.Of(found.Workflows));
        var count = found.Workflows.Count == 1 ? "1 workflow" : $"{found.Workflows.Count} workflows";
        session.Terminal.Line(found.More ? $"{count} shown; more match (raise --limit)" : count);
        return ExitCodes.Ok;
    }

    /// <summary>Each page's workflows that have a taskforce in <paramref name="phase"/>, asked of the service per page.</summary>
    private static async IAsyncEnumerable<FindPage> WithTaskforceIn(
        Session session, string phase, IAsyncEnumerable<FindPage> pages, [EnumeratorCancellation] CancellationToken cancel)
    {
        await foreach (var page in pages)
        {
            HashSet<string> having = [];
            foreach (var ids in page.Items.Select(w => w.Text("workflow_id")).Chunk(IdsPerPhaseFind))
            {
                var query = new JsonObject
                {
                    ["workflow_id"] = new JsonObject { ["$in"] = new JsonArray([.. ids.Select(i => JsonValue.Create(i))]) },
                    ["phase"] = phase,
                };
                var taskforces = await Finds.AllAsync(
                    session.Client, session.Routes, FindKind.Taskforces, query, ["workflow_id"], cancel);
                having.UnionWith(taskforces.Select(t => t.Text("workflow_id")));
            }
            yield return page with { Items = [.. page.Items.Where(w => having.Contains(w.Text("workflow_id")))] };
        }
    }
}
