using System.Text.Json.Nodes;

namespace Wms.Testing;

/// <summary>What a <see cref="FakeMqs"/> activation policy is asked to decide on.</summary>
/// <param name="WorkflowId">The workflow in the route.</param>
/// <param name="Priority"><c>criteria.priority</c> from the body, when present and an integer.</param>
/// <param name="Body">The request body as received.</param>
/// <param name="CallNumber">1-based count of activation calls for known workflows, across all workflows.</param>
/// <param name="AttemptForWorkflow">1-based count of activation calls for this workflow.</param>
public sealed record ActivationRequest(
    string WorkflowId,
    int? Priority,
    JsonNode? Body,
    int CallNumber,
    int AttemptForWorkflow);
