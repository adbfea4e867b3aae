namespace Wms.Api.Responses;

/// <summary>
/// What the <c>/v1</c> pending-starter answer needs of a taskforce's task besides the taskforce: the task directive
/// as <c>/v1</c> shows it, its queues (inputs then outputs, each once) and its workflow's priority.
/// </summary>
public sealed record StarterTask(byte[] DirectiveV1, IReadOnlyList<string> MqIds, int WorkflowPriority);
