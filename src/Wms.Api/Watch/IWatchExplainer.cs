namespace Wms.Api.Watch;

/// <summary>
/// The seam through which live watch sends <c>explain</c> events: after the events of a watched workflow that can
/// change a reason (<see cref="ExplainTrigger"/>), each silo's watcher asks for the current explanations of the
/// taskforces concerned and sends one for each taskforce whose <see cref="WatchExplanation.Reason"/> changed
/// (<see cref="Explain.WatchExplanations"/>, the explain endpoints' own answers).
/// </summary>
public interface IWatchExplainer
{
    /// <summary>
    /// One explanation per taskforce of the workflow among <paramref name="taskforceUuids"/> (every one of its
    /// taskforces when null); empty when there are none to give.
    /// </summary>
    Task<IReadOnlyList<WatchExplanation>> ExplainAsync(
        string workflowId, IReadOnlyCollection<string>? taskforceUuids, CancellationToken cancellationToken);
}
