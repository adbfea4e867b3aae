using Spectre.Console;
using Spectre.Console.Rendering;
using Wms.Cli.Connection;
using Wms.Cli.Output;

namespace Wms.Cli.Watch;

/// <summary>
/// A watch for a person at a terminal: a progress bar per taskforce, full as its workers run (of those asked for),
/// described by its place, phase and why it waits, redrawn as events arrive.
/// </summary>
public sealed class WatchBars(Terminal terminal) : IWatchView
{
    public async Task RunAsync(WatchedWorkflow workflow, Func<Action<ServerEvent, IReadOnlyList<string>>, Task> watch)
    {
        var progress = terminal.Out.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new WorkersColumn());
        await progress.StartAsync(async context =>
        {
            var bars = new Dictionary<string, ProgressTask>();
            await watch((_, _) =>
            {
                foreach (var taskforce in workflow.Taskforces)
                {
                    if (!bars.TryGetValue(taskforce.Uuid, out var bar))
                    {
                        bar = bars[taskforce.Uuid] = context.AddTask(Describe(taskforce), maxValue: taskforce.Goal);
                    }
                    bar.Description = Describe(taskforce);
                    bar.MaxValue = taskforce.Goal;
                    bar.Value = taskforce.IsSettled ? taskforce.Goal : Math.Min(taskforce.Running, taskforce.Goal);
                }
            });
            // The bars stay as they were last drawn; stopping the tasks ends the display.
            foreach (var bar in bars.Values)
            {
                bar.StopTask();
            }
        });
    }

    public void Finish(WatchedWorkflow workflow) => terminal.Line(WatchSummary.Of(workflow));

    private static string Describe(TaskforceProgress taskforce)
    {
        var why = taskforce.IsSettled ? "" : taskforce.Reason ?? (taskforce.Statuses.Length > 0 ? taskforce.Statuses : "");
        return Markup.Escape($"{taskforce.Uuid} {taskforce.Schedd} {taskforce.Phase}{(why.Length > 0 ? " · " + why : "")}");
    }

    /// <summary>Workers running of those asked for (all, once settled), as numbers beside the bar.</summary>
    private sealed class WorkersColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text($"{task.Value:0}/{task.MaxValue:0}");
    }
}
