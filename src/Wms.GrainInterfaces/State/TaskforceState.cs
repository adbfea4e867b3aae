using Wms.Domain.Model;

namespace Wms.GrainInterfaces.State;

/// <summary>A taskforce grain's durable state.</summary>
[GenerateSerializer, Alias("Wms.TaskforceState")]
public sealed class TaskforceState
{
    [Id(0)] public TaskforceDocument? Taskforce { get; set; }
    [Id(1)] public long Revision { get; set; }

    /// <summary>The deactivation last applied, so a repeated one is recognised.</summary>
    [Id(2)] public double? AppliedDeactivationTs { get; set; }

    [Id(3)] public bool AppliedDeactivationMoved { get; set; }
}
