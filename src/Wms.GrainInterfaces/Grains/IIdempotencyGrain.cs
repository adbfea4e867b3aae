using Wms.Domain.Commands;
using Wms.Domain.Model;
using Wms.Domain.Rules;
using Wms.GrainInterfaces.Outcomes;

namespace Wms.GrainInterfaces.Grains;

/// <summary>
/// One client's <c>Idempotency-Key</c>: the request it first came with and that request's answer, so that a retry
/// is answered again instead of acting twice. Keyed by the caller and the key together; calls on one key run one
/// at a time, so concurrent retries wait for the first and share its answer.
/// </summary>
public interface IIdempotencyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the workflow once. <paramref name="requestHash"/> names the request; another request under the
    /// same key is refused (<see cref="IdempotentCreation.Mismatch"/>).
    /// </summary>
    Task<IdempotentCreation> CreateWorkflowAsync(string requestHash, WorkflowSpec spec);

    /// <summary>Adds the taskforce once; the first outcome, whatever it was, is the answer to every retry.</summary>
    Task<IdempotentAddition> AddWorkersAsync(
        string requestHash, string taskId, ClusterLocation location, long? nWorkers, string? caller,
        LogAuthor? author = null);
}
