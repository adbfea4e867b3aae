namespace Wms.Domain.Model;

/// <summary>Who caused a phase change, as written in <c>phase_change_log</c>.</summary>
public static class SourceEntity
{
    public const string User = "User";
    public const string WorkflowMqActivator = "Workflow MQ Activator";
    public const string TaskforceLaunchControl = "Taskforce Launch Control";
    public const string Tms = "TMS";
}
