namespace Wms.Cli.Connection;

/// <summary>What a find looks for: its route's last segment and the member of the answer that lists the objects.</summary>
public sealed record FindKind(string RouteName, string Member)
{
    public static readonly FindKind Workflows = new("workflows", "workflows");
    public static readonly FindKind TaskDirectives = new("task-directives", "task_directives");
    public static readonly FindKind Taskforces = new("taskforces", "taskforces");
}
