using Wms.Domain.Index;

namespace Wms.Storage.Postgres.Index;

/// <summary>
/// The table of one object kind (migration 0100), its columns that mirror a top-level string field, and those that
/// hold a top-level field's value when it is an integer and null otherwise.
/// </summary>
internal sealed record IndexTable(string Name, IReadOnlyDictionary<string, string> StringColumns)
{
    private static readonly Dictionary<string, string> None = [];

    public IReadOnlyDictionary<string, string> IntegerColumns { get; init; } = None;

    public static readonly IndexTable Workflow = new("public.wms_index_workflow", new Dictionary<string, string>
    {
        ["workflow_id"] = "id",
    });

    public static readonly IndexTable TaskDirective = new("public.wms_index_task_directive", new Dictionary<string, string>
    {
        ["task_id"] = "id",
        ["workflow_id"] = "workflow_id",
    });

    public static readonly IndexTable Taskforce = new("public.wms_index_taskforce", new Dictionary<string, string>
    {
        ["taskforce_uuid"] = "id",
        ["workflow_id"] = "workflow_id",
        ["collector"] = "collector",
        ["schedd"] = "schedd",
        ["phase"] = "phase",
    })
    {
        // Migration 0105.
        IntegerColumns = new Dictionary<string, string> { ["cluster_id"] = "cluster_id" },
    };

    public static IndexTable Of(ObjectKind kind) => kind switch
    {
        ObjectKind.Workflow => Workflow,
        ObjectKind.TaskDirective => TaskDirective,
        ObjectKind.Taskforce => Taskforce,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown object kind"),
    };
}
