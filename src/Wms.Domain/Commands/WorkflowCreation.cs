using System.Text.Json.Serialization;
using Wms.Domain.Model;

namespace Wms.Domain.Commands;

/// <summary>Everything a new workflow consists of, as answered to the user who created it.</summary>
[GenerateSerializer, Immutable, Alias("Wms.WorkflowCreation")]
public sealed record WorkflowCreation(
    [property: Id(0), JsonPropertyName("workflow")] WorkflowDocument Workflow,
    [property: Id(1), JsonPropertyName("task_directives")] List<TaskDirectiveDocument> TaskDirectives,
    [property: Id(2), JsonPropertyName("taskforces")] List<TaskforceDocument> Taskforces);
