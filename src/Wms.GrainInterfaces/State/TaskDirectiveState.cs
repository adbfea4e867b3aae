using Wms.Domain.Model;

namespace Wms.GrainInterfaces.State;

/// <summary>A task directive grain's durable state.</summary>
[GenerateSerializer, Alias("Wms.TaskDirectiveState")]
public sealed class TaskDirectiveState
{
    [Id(0)] public TaskDirectiveDocument? Directive { get; set; }
}
