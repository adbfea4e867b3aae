namespace Wms.Api.Watch;

/// <summary>
/// The seam through which live watch sends <c>explain</c> events: after the taskforce events of a watched workflow,
/// each silo's watcher asks for the workflow's current explanations and sends one for each taskforce whose
/// <see cref="WatchExplanation.Reason"/> changed (<see cref="Explain.WatchExplanations"/>, the explain endpoints'
/// own answers).
/// </summary>
public interface IWatchExplainer
{
    /// <summary>One explanation per taskforce of the workflow; empty when there are none to give.</summary>
    Task<IReadOnlyList<WatchExplanation>> ExplainAsync(string workflowId, CancellationToken cancellationToken);
}
