namespace Wms.GrainInterfaces.Mqs;

/// <summary>
/// The live profiles of a workflow's queues, for the /v1 pending-starter answer, which hands them to the TMS whole.
/// It sits on the TMS's most frequent poll, so it answers from what it keeps and asks the MQS only when a token is
/// about to expire; it never throws for the MQS's sake, since today's TMS stops on any error status.
/// </summary>
public interface IMqProfileSource
{
    /// <summary>
    /// The profiles of these queues of a workflow, each whole as the MQS describes it, with tokens that stay valid for
    /// a while yet; null when they cannot be had now (why is logged). An empty mqids list gives an empty list without
    /// asking anyone.
    /// </summary>
    /// <param name="workflowId">The workflow the queues belong to.</param>
    /// <param name="workflowPriority">The workflow's priority, which an activation that renews the tokens sends.</param>
    /// <param name="mqids">The queues wanted; the answer lists them in this order.</param>
    /// <param name="cancellationToken">Stops this caller's wait; a fetch other callers share goes on.</param>
    Task<IReadOnlyList<MqsProfileDescription>?> GetLiveAsync(
        string workflowId, int workflowPriority, IReadOnlyList<string> mqids, CancellationToken cancellationToken);
}
