namespace Wms.Domain.Index;

/// <summary>The three kinds of object users can read and query.</summary>
public enum ObjectKind
{
    Workflow,
    TaskDirective,
    Taskforce,
}
